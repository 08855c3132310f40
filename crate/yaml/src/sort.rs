//! go-yaml v2's order of map keys when it writes a map.
//!
//! Keys are compared character by character; letters sort among themselves by code point
//! and after anything else, and runs of digits compare by their numeric value, so `a2`
//! comes before `a10`. Only string keys reach the emitter (the value comes from JSON), so
//! only the string part of go-yaml's comparison is here.

use std::cmp::Ordering;

/// Sorts keys in go-yaml v2's order. A merge sort of our own: it never panics, even if the
/// comparison is not a strict order for some exotic keys.
pub(crate) fn sort_keys<T>(items: &mut Vec<(&str, T)>) {
    if items.len() < 2 {
        return;
    }
    let right = items.split_off(items.len() / 2);
    let mut left = std::mem::take(items);
    sort_keys(&mut left);
    let mut right = right;
    sort_keys(&mut right);

    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_right = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => less(r.0, l.0),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        let next = if take_right {
            right.next()
        } else {
            left.next()
        };
        items.extend(next);
    }
}

/// Whether key `a` sorts before key `b`.
pub(crate) fn less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();

    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }

        // Neither is a letter: compare the runs of digits starting here by value. A run that
        // continues digits before this point with a non-zero digit already decided the
        // magnitude, so leading zeros must not count as smaller there.
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            for j in (0..i).rev() {
                if !is_digit(ar[j]) {
                    break;
                }
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let ai = digit_run(&ar, i, &mut an);
        let bi = digit_run(&br, i, &mut bn);
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Adds the digits from `start` to `n` (wrapping, as Go's int64 does) and returns where the
/// run ends.
fn digit_run(chars: &[char], start: usize, n: &mut i64) -> usize {
    let mut end = start;
    while end < chars.len() && is_digit(chars[end]) {
        let digit = i64::from(u32::from(chars[end]).wrapping_sub(u32::from('0')));
        *n = n.wrapping_mul(10).wrapping_add(digit);
        end += 1;
    }
    end
}

/// Go's `unicode.IsLetter`. Rust's alphabetic property is slightly wider (it includes
/// letter-like numbers and combining marks); keys with those are not expected.
fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

/// Go's `unicode.IsDigit` (decimal digits of any script). Rust's numeric property also has
/// other numerals such as `½`; keys with those are not expected.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// The order as an `Ordering`, for tests and callers that want one.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    if less(a, b) {
        Ordering::Less
    } else if less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut items: Vec<(&str, ())> = keys.iter().map(|k| (*k, ())).collect();
        sort_keys(&mut items);
        items.into_iter().map(|(k, _)| k.to_string()).collect()
    }

    #[test]
    fn natural_order_of_go_yaml() {
        let cases: &[(&[&str], &[&str])] = &[
            (&["b", "a", "c"], &["a", "b", "c"]),
            (&["a10", "a2", "a1"], &["a1", "a2", "a10"]),
            (&["B", "a", "A", "b"], &["A", "B", "a", "b"]),
            // Letters sort after digits and punctuation; a non-digit counts as the number 0.
            (&["1", "a", "-", "_"], &["-", "_", "1", "a"]),
            (&["a-b", "a_b", "aa", "a.b"], &["a-b", "a.b", "a_b", "aa"]),
            (&["a", "a-b", "ab"], &["a", "a-b", "ab"]),
            (&["a", "ab", ""], &["", "a", "ab"]),
            (&["x01", "x1", "x001"], &["x1", "x01", "x001"]),
            (&["10", "9", "100"], &["9", "10", "100"]),
            (
                &["status", "apiVersion", "kind", "metadata", "spec"],
                &["apiVersion", "kind", "metadata", "spec", "status"],
            ),
            (
                &[
                    "containerStatuses",
                    "conditions",
                    "phase",
                    "podIP",
                    "hostIP",
                ],
                &[
                    "conditions",
                    "containerStatuses",
                    "hostIP",
                    "phase",
                    "podIP",
                ],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(sorted(input), *want, "{input:?}");
        }
    }

    #[test]
    fn comparison_is_antisymmetric_on_examples() {
        for (a, b) in [("a1", "a01"), ("a", "1"), ("x10", "x9"), ("1.5", "1.10")] {
            assert_ne!(compare(a, b), compare(b, a), "{a} {b}");
        }
    }
}
