//! A line diff of two texts (an object's YAML before and after a play), by the longest
//! common subsequence of lines. Objects are a few hundred lines, so the quadratic table is
//! small; past [`MAX_LINES`] the diff gives up and reports every line as changed.

/// Above this many lines on either side the table would be too large.
pub const MAX_LINES: usize = 3000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// The lines of `after`, with the lines of `before` that it dropped, in order.
pub fn lines<'a>(before: &'a str, after: &'a str) -> Vec<(Change, &'a str)> {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    if old.len() > MAX_LINES || new.len() > MAX_LINES {
        let mut all: Vec<(Change, &str)> = old.iter().map(|l| (Change::Removed, *l)).collect();
        all.extend(new.iter().map(|l| (Change::Added, *l)));
        return all;
    }

    // common[i][j]: the longest common subsequence of old[i..] and new[j..].
    let width = new.len() + 1;
    let mut common = vec![0u32; (old.len() + 1) * width];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i * width + j] = if old[i] == new[j] {
                common[(i + 1) * width + j + 1] + 1
            } else {
                common[(i + 1) * width + j].max(common[i * width + j + 1])
            };
        }
    }

    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    while i < old.len() && j < new.len() {
        if old[i] == new[j] {
            out.push((Change::Same, new[j]));
            i += 1;
            j += 1;
        } else if common[(i + 1) * width + j] >= common[i * width + j + 1] {
            out.push((Change::Removed, old[i]));
            i += 1;
        } else {
            out.push((Change::Added, new[j]));
            j += 1;
        }
    }
    out.extend(old[i..].iter().map(|l| (Change::Removed, *l)));
    out.extend(new[j..].iter().map(|l| (Change::Added, *l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Change::*;

    #[test]
    fn changed_lines_are_marked_in_place() {
        let before = "metadata:\n  name: p\nstatus:\n  phase: Pending\n";
        let after = "metadata:\n  name: p\nstatus:\n  phase: Running\n  podIP: 10.0.0.2\n";
        assert_eq!(
            lines(before, after),
            [
                (Same, "metadata:"),
                (Same, "  name: p"),
                (Same, "status:"),
                (Removed, "  phase: Pending"),
                (Added, "  phase: Running"),
                (Added, "  podIP: 10.0.0.2"),
            ]
        );
    }

    #[test]
    fn edges() {
        assert_eq!(lines("", "a"), [(Added, "a")]);
        assert_eq!(lines("a", ""), [(Removed, "a")]);
        assert_eq!(lines("a\nb", "a\nb"), [(Same, "a"), (Same, "b")]);
    }
}
