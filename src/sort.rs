//! Stable sorting with one copy of its code in the page's module. The
//! standard library's sorts are generic over the element and the
//! comparison, so every call site adds its own few kilobytes of sorting code
//! (about 110 KB of the page's module before this). [`sort_by`] is std's
//! stable sort where speed counts (natively and in the engine module, which
//! both have the `workers` feature), and in the page a merge sort of the
//! element indices through one non-generic function. A stable sort's result
//! is the same whichever does it, so results do not depend on the module; a
//! test checks the page's sort against std's.

use std::cmp::Ordering;

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
