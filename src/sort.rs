//! Stable sorting with one copy of its code in the page's module. The
//! standard library's sorts are generic over the element and the
//! comparison, so every call site adds its own few kilobytes of sorting code
//! (about 110 KB of the page's module before this). [`sort_by`] is std's
//! stable sort where speed counts (natively and in the engine module, which
//! both have the `workers` feature), and in the page a merge sort of the
//! element indices through one non-generic function. A stable sort's result
//! is the same whichever does it, so results do not depend on the module; a
//! test checks the page's sort against std's.
//!
//! The engine's rankings use keys that are unique integers, so they also
//! take only the head they need: [`smallest`] (the first `n`) and
//! [`visit_in_order`] (until a budget runs out) select before sorting where
//! speed counts, and give exactly the sorted list's head.

use std::cmp::Ordering;
use std::ops::ControlFlow;

/// Sorts `v` by `cmp`, stably: as `v.sort_by(cmp)`.
#[cfg_attr(feature = "workers", allow(unused_mut))]
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(feature = "workers")]
    v.sort_by(cmp);
    #[cfg(not(feature = "workers"))]
    {
        let order = stable_order(v.len(), &mut |a, b| cmp(&v[a], &v[b]) == Ordering::Greater);
        permute(v, order);
    }
}

/// Sorts `v` by `cmp`, which must tell every two different elements apart
/// (a total order: only equal elements compare equal), so that stable and
/// unstable sorting give the same result: std's unstable sort where speed
/// counts, [`sort_by`] in the page.
pub fn sort_unstable_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(feature = "workers")]
    v.sort_unstable_by(cmp);
    #[cfg(not(feature = "workers"))]
    sort_by(v, cmp);
}

/// An integer that orders as `x` does under [`f64::total_cmp`]: a negative
/// number's bits reversed, the sign bit set on the others. Ranking keys
/// (the engine's capital order and programme rankings) pack it with a row.
pub(crate) fn total_order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    bits ^ ((((bits as i64) >> 63) as u64) | 1 << 63)
}

/// The `n` smallest of `keys`, which are unique, smallest first: exactly
/// the head of the sorted list, with only the head sorted where speed
/// counts (a selection, then the few). The page sorts them all, with its
/// one copy of sorting code: the same head.
pub fn smallest<T: Ord>(keys: &mut [T], n: usize) -> &mut [T] {
    let n = n.min(keys.len());
    if n == 0 {
        return &mut [];
    }
    #[cfg(not(feature = "workers"))]
    sort_by(keys, Ord::cmp);
    #[cfg(feature = "workers")]
    {
        if n < keys.len() {
            keys.select_nth_unstable(n - 1);
        }
        keys[..n].sort_unstable();
    }
    &mut keys[..n]
}

/// Hands the unique `keys` to `visit` smallest first until it breaks, as a
/// loop over the sorted list would. Where speed counts it sorts only as far
/// as the visits go: a head of 64, then heads twice as long. The targeted
/// capital budget runs out after a few dozen of several hundred rows on a
/// city-sized roster, where sorting them all was most of the funding step.
/// The page sorts them all once.
pub fn visit_in_order<T: Ord + Copy>(keys: &mut [T], mut visit: impl FnMut(T) -> ControlFlow<()>) {
    #[cfg(not(feature = "workers"))]
    {
        sort_by(keys, Ord::cmp);
        let _ = keys.iter().try_for_each(|&key| visit(key));
    }
    #[cfg(feature = "workers")]
    {
        let mut start = 0;
        let mut head = 64;
        while start < keys.len() {
            let rest = &mut keys[start..];
            // A short remainder is sorted whole rather than selected from.
            let n = if rest.len() <= 2 * head { rest.len() } else { head };
            if smallest(rest, n).iter().try_for_each(|&key| visit(key)).is_break() {
                return;
            }
            start += n;
            head *= 2;
        }
    }
}

/// Sorts `v` by the key `key` gives, stably: as `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The indices `0..n` in stable sorted order, where `after(a, b)` says that
/// element `a` sorts after element `b`: a bottom-up merge sort.
#[cfg_attr(feature = "workers", allow(dead_code))]
fn stable_order(n: usize, after: &mut dyn FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut to = vec![0; n];
    let mut width = 1;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut to[start..end] {
                // The left run's element goes first unless the right's sorts
                // strictly before it: equal elements keep their order.
                if i < mid && (j >= end || !after(from[i], from[j])) {
                    *slot = from[i];
                    i += 1;
                } else {
                    *slot = from[j];
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// Puts `v` in the order `order` gives: element `i` becomes the one at
/// `order[i]`, following each cycle of the permutation by swaps.
#[cfg_attr(feature = "workers", allow(dead_code))]
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for i in 0..v.len() {
        let mut at = i;
        loop {
            let next = order[at];
            order[at] = at;
            if next == i || next == at {
                break;
            }
            v.swap(at, next);
            at = next;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The page's sort, as `sort_by` is without the `workers` feature.
    fn page_sort<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
        let order = stable_order(v.len(), &mut |a, b| cmp(&v[a], &v[b]) == Ordering::Greater);
        permute(v, order);
    }

    proptest! {
        #[test]
        fn the_pages_sort_is_stds_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..90)) {
            // Sorted by the first field only, so equal keys test stability.
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            let mut got = v.clone();
            page_sort(&mut got, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(&got, &want);
            let mut got = v;
            sort_by(&mut got, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(got, want);
        }
    }

    /// The head is the fully sorted list's head, for every length.
    #[test]
    fn the_smallest_are_the_sorted_lists_head() {
        let keys: Vec<u128> = (0..40u128).map(|k| ((k * 7919) % 13) << 64 | k).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        for n in 0..=45 {
            let mut work = keys.clone();
            assert_eq!(smallest(&mut work, n), &sorted[..n.min(40)], "n = {n}");
        }
    }

    proptest! {
        /// Visiting in order, stopping anywhere, sees exactly the sorted
        /// list's head up to the stop, across the head boundaries (64, 192, 448).
        #[test]
        fn visits_follow_the_sorted_order(keys in proptest::collection::btree_set(any::<u32>(), 0..600), stop in 0usize..700) {
            let sorted: Vec<u32> = keys.iter().copied().collect();
            // A deterministic shuffle of the unique keys.
            let mut work: Vec<u32> = sorted.clone();
            work.sort_by_key(|k| k.wrapping_mul(2_654_435_761));
            let mut seen = Vec::new();
            visit_in_order(&mut work, |k| {
                seen.push(k);
                if seen.len() > stop { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            });
            prop_assert_eq!(&seen[..], &sorted[..(stop + 1).min(sorted.len())]);
        }
    }

    #[test]
    fn the_total_order_key_orders_as_total_cmp() {
        let xs = [f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1.0, -1.0, 0.5, 1e-310, -1e-310, 3.0, f64::MAX];
        for a in xs {
            for b in xs {
                assert_eq!(total_order_key(a).cmp(&total_order_key(b)), a.total_cmp(&b), "{a} {b}");
            }
        }
    }

    #[test]
    fn strings_and_floats_sort_as_std_sorts_them() {
        let words: Vec<String> = "the quick brown fox jumps over the lazy dog".split(' ').map(str::to_owned).collect();
        let mut want = words.clone();
        want.sort();
        let mut got = words;
        page_sort(&mut got, |a, b| a.cmp(b));
        assert_eq!(got, want);
        let mut xs = vec![3.5, -1.0, f64::NAN, 0.0, -0.0, 2.0];
        page_sort(&mut xs, f64::total_cmp);
        assert_eq!(format!("{xs:?}"), "[-1.0, -0.0, 0.0, 2.0, 3.5, NaN]");
    }
}
