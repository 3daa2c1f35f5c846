//! One sort for the whole crate. Every distinct `sort_by` instantiation adds
//! about 4 KB of wasm; sorting indices through a `dyn` comparator keeps it
//! to one.

use std::cmp::Ordering;

/// The indices `0..len`, ordered by `compare` (not stable).
pub fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..len).collect();
    indices.sort_unstable_by(|&a, &b| compare(a, b));
    indices
}

/// For each index, the earliest index whose item `compare`s equal to it, or
/// `None` for the first of its kind: duplicate detection by sorting, with no
/// map (and no cloned keys) needed.
pub fn first_occurrences(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<Option<usize>> {
    // Ties ordered by index, so each group starts with its earliest member.
    let order = sorted_indices(len, &|a, b| compare(a, b).then(a.cmp(&b)));
    let mut first_of = vec![None; len];
    let mut first = None;
    for pair in order.windows(2) {
        let &[a, b] = pair else { continue };
        if compare(a, b) == Ordering::Equal {
            let kept = *first.get_or_insert(a);
            if let Some(slot) = first_of.get_mut(b) {
                *slot = Some(kept);
            }
        } else {
            first = None;
        }
    }
    first_of
}

/// Reorders `items` so that it follows `order` (a permutation of its indices).
pub fn permute<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_through_indices() {
        let words = vec!["pear", "apple", "fig"];
        let order = sorted_indices(words.len(), &|a, b| words[a].cmp(words[b]));
        assert_eq!(permute(words, &order), vec!["apple", "fig", "pear"]);
    }

    #[test]
    fn finds_the_first_of_each_kind() {
        let items = ["b", "a", "b", "c", "a", "b"];
        let first = first_occurrences(items.len(), &|a, b| items[a].cmp(items[b]));
        assert_eq!(first, vec![None, None, Some(0), None, Some(1), Some(0)]);
    }
}
