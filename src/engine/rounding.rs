//! `f64::ceil` and `f64::floor`, bit for bit, without a call: on a target
//! without SSE4.1 (x86-64's baseline) each is a call into libm, and the
//! engine takes a ceiling per grade and a floor of classrooms for every row
//! every year. Where the target has the instruction (wasm32, or SSE4.1)
//! these are `std`'s.

/// Whether the target rounds in one instruction (then `std` is faster).
const NATIVE: bool = cfg!(any(target_arch = "wasm32", target_feature = "sse4.1"));

/// Magnitudes from 2^52 up are whole (or infinite, or NaN): left to `std`.
const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;

/// `x` rounded to the nearest whole number (ties to even), for |x| < 2^52:
/// adding 2^52 leaves no fraction bits, and taking it off again is exact.
fn nearest(x: f64) -> f64 {
    ((x.abs() + WHOLE_FROM) - WHOLE_FROM).copysign(x)
}

/// `x.ceil()`, bit for bit.
pub(super) fn ceil(x: f64) -> f64 {
    if x.abs() < WHOLE_FROM && !NATIVE {
        let r = nearest(x);
        let c = if r < x { r + 1.0 } else { r };
        // The ceiling keeps x's sign: ceil(-0.5) and ceil(-0.0) are -0.0.
        c.copysign(x)
    } else {
        x.ceil()
    }
}

/// `x.floor()`, bit for bit.
pub(super) fn floor(x: f64) -> f64 {
    if x.abs() < WHOLE_FROM && !NATIVE {
        let r = nearest(x);
        let f = if r > x { r - 1.0 } else { r };
        // floor(-0.0) is -0.0; floor(0.5) is +0.0.
        f.copysign(x)
    } else {
        x.floor()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_and_floor_are_std_bit_for_bit() {
        let mut xs = vec![0.0, 0.3, 0.5, 0.7, 1.0, 1.5, 2.5, 2.0 - 1e-16, 41.999999, 42.000001, 1e15 + 0.5, 4.5e15 + 0.5, 4.6e15, 1e300, f64::INFINITY, f64::MIN_POSITIVE, 1e-310];
        xs.extend((0..2000).map(|k| f64::from(k) * 0.173 + 0.01));
        // Pupils over class-size caps, as `funding::classes_needed` divides them.
        xs.extend((0..500).flat_map(|k| [45.0, 50.0, 0.7, 1e-3].map(|cap| (f64::from(k) * 1.37 + 0.01) / cap)));
        xs.extend(xs.clone().iter().map(|x| -x));
        for x in xs {
            assert_eq!(ceil(x).to_bits(), x.ceil().to_bits(), "ceil {x}");
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "floor {x}");
        }
        assert!(ceil(f64::NAN).is_nan() && floor(f64::NAN).is_nan());
    }
}
