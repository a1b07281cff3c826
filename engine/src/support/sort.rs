//! One compiled sort for the code that is not on the engine's hot path.
//!
//! The standard library's sorts are generic over the element type and the comparison: every
//! `sort_by_key(|q| q.id)` written somewhere is a copy of the whole algorithm, 2–4 KB of wasm
//! each, and the page carried about 130 KB of them. These helpers sort a list of indices through
//! a `dyn` comparison, one copy for everything, then put the elements in that order. Stable, like
//! `slice::sort_by`.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably (equal elements keep their order).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    // nothing to do for a list in order already (what the engine's events nearly always are)
    if v.windows(2).all(|w| cmp(&w[0], &w[1]) != Ordering::Greater) {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Sorts `v` by the key `f` gives each element, stably.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` in its natural order, stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts a list of indices by `cmp` (the one copy of the algorithm), stably.
pub fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Sorts `v`, not stably, with little code, for the engine's routing (followed by `dedup`, so
/// stability does not matter): nothing to do when it is sorted already (a fanout's destinations
/// come out of the exchange in order), else a heapsort, which is O(n log n) in a few hundred
/// bytes where the standard library's sorts cost the page ~1.5 KB gzip'd per element type.
pub fn heapsort<T: Ord>(v: &mut [T]) {
    if v.is_sorted() {
        return;
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Moves `v[root]` down the heap `v[..end]` until both its children are no greater.
fn sift_down<T: Ord>(v: &mut [T], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

/// A map (a `BTreeMap`, or a `serde_json::Map`, which is one) from pairs inserted one by one,
/// the last value for a key winning: what `collect()` gives, without the sort `collect()` does
/// first.
pub fn map_of<M: Default + Extend<(K, V)>, K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> M {
    let mut m = M::default();
    m.extend(pairs);
    m
}

/// Puts `v` in the order `order` gives: afterwards `v[k]` is what was at `order[k]`.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        // follow the cycle through `start`, marking each place done (order[k] == k)
        let mut k = start;
        while order[k] != start {
            let next = order[k];
            v.swap(k, next);
            order[k] = k;
            k = next;
        }
        order[k] = k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 11u64;
        for n in [0usize, 1, 2, 3, 7, 31, 200, 1000] {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            let mut std = v.clone();
            sort_by_key(&mut ours, |e| e.0);
            std.sort_by_key(|e| e.0);
            assert_eq!(ours, std, "n = {n}");
            let mut ours = v.clone();
            let mut std = v.clone();
            sort(&mut ours);
            std.sort();
            assert_eq!(ours, std);
            // heapsort: the same order of keys (it is not stable), for shuffled, sorted and
            // reversed input
            let keys: Vec<u8> = v.iter().map(|e| e.0).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            let mut reversed = sorted.clone();
            reversed.reverse();
            for mut input in [keys, sorted.clone(), reversed] {
                heapsort(&mut input);
                assert_eq!(input, sorted, "n = {n}");
            }
        }
    }

    #[test]
    fn a_map_keeps_the_last_value_for_a_key() {
        let m: BTreeMap<_, _> = map_of([("b", 1), ("a", 2), ("b", 3)]);
        let std: BTreeMap<_, _> = [("b", 1), ("a", 2), ("b", 3)].into_iter().collect();
        assert_eq!(m, std);
        assert_eq!(m["b"], 3);
    }
}
