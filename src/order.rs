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
}
