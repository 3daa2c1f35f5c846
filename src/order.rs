//! One sort for the whole crate, and duplicate detection. Every distinct `sort_by` instantiation adds
//! about 4 KB of wasm; sorting indices through a `dyn` comparator keeps it
//! to one.

use hashbrown::{hash_table, HashTable};
use std::cmp::Ordering;
use std::hash::{BuildHasher, Hash};

/// The indices `0..len`, ordered by `compare` (not stable).
pub fn sorted_indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..len).collect();
    indices.sort_unstable_by(|&a, &b| compare(a, b));
    indices
}

/// For each key, the index of the earliest equal key before it, or `None`
/// for the first of its kind (`count`: how many keys come).
///
/// Hashing: sorting 1,000 (TemplateId, phone) pairs through the comparator
/// above measured 16 % of a 1,000-number `prepare` (wasm has no fast
/// `memcmp`); hashing is linear. The table holds only indices into the
/// keys (hashbrown's `HashTable`), not the keys themselves: in wasm 4
/// bytes a bucket instead of 20 for (TemplateId, phone) pairs, which keeps
/// more of a 100,000-number table in cache (a 100,000-number `planBulk` in
/// wasm: 77.0–80.6 → 73.0–73.8 ms, same hour, alternating builds).
///
/// foldhash, not std's SipHash: SipHash of 100,000 (TemplateId, phone)
/// pairs was 6 % of a 100,000-number `planBulk` in wasm. foldhash does not
/// claim resistance to chosen collisions; the one caller that hashes
/// untrusted input (the proxy's duplicate check) hashes at most 1,000 keys,
/// where the worst case is a millisecond of comparisons.
pub fn first_occurrences<K: Hash + Eq>(keys: impl Iterator<Item = K>, count: usize) -> Vec<Option<usize>> {
    let mut all: Vec<K> = Vec::with_capacity(count);
    all.extend(keys);
    let state = foldhash::fast::RandomState::default();
    let mut first_of: HashTable<usize> = HashTable::with_capacity(all.len());
    // Only used if the table grows, which its capacity rules out.
    let hash_of = |j: &usize| all.get(*j).map_or(0, |k| state.hash_one(k));
    all.iter()
        .enumerate()
        .map(|(i, key)| {
            let same = |j: &usize| all.get(*j) == Some(key);
            match first_of.entry(state.hash_one(key), same, hash_of) {
                hash_table::Entry::Occupied(first) => Some(*first.get()),
                hash_table::Entry::Vacant(slot) => {
                    slot.insert(i);
                    None
                }
            }
        })
        .collect()
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
        let first = first_occurrences(items.iter(), items.len());
        assert_eq!(first, vec![None, None, Some(0), None, Some(1), Some(0)]);
    }
}
