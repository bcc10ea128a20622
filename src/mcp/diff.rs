//! A line diff in unified format, for `diff_plan`'s artifacts. Plans hold a few hundred lines
//! of artifacts, so the longest common subsequence is found the plain quadratic way.

/// How many unchanged lines to show around each change.
const CONTEXT: usize = 3;

/// One line of an edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// `before` to `after` as a unified diff with `---`/`+++` headers; empty when they are equal.
pub fn unified(before: &str, after: &str, before_name: &str, after_name: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let edits = script(&a, &b);
    if edits.iter().all(|e| matches!(e, Edit::Same(..))) {
        return String::new();
    }
    let mut out = format!("--- {before_name}\n+++ {after_name}\n");
    for hunk in hunks(&edits) {
        let slice = &edits[hunk.0..hunk.1];
        let start_a = slice.iter().find_map(|e| match e {
            Edit::Same(i, _) | Edit::Removed(i) => Some(*i),
            Edit::Added(_) => None,
        });
        let start_b = slice.iter().find_map(|e| match e {
            Edit::Same(_, j) | Edit::Added(j) => Some(*j),
            Edit::Removed(_) => None,
        });
        let count_a = slice.iter().filter(|e| !matches!(e, Edit::Added(_))).count();
        let count_b = slice.iter().filter(|e| !matches!(e, Edit::Removed(_))).count();
        out.push_str(&format!(
            "@@ -{},{count_a} +{},{count_b} @@\n",
            start_a.map_or(0, |i| i + 1),
            start_b.map_or(0, |j| j + 1)
        ));
        for edit in slice {
            match edit {
                Edit::Same(i, _) => out.push_str(&format!(" {}\n", a[*i])),
                Edit::Removed(i) => out.push_str(&format!("-{}\n", a[*i])),
                Edit::Added(j) => out.push_str(&format!("+{}\n", b[*j])),
            }
        }
    }
    out
}

/// The edit script from the longest common subsequence.
fn script(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut edits) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            edits.push(Edit::Same(i, j));
            (i, j) = (i + 1, j + 1);
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions, as diff(1) prints a changed line.
            edits.push(Edit::Removed(i));
            i += 1;
        } else {
            edits.push(Edit::Added(j));
            j += 1;
        }
    }
    edits
}

/// The ranges of the script to print: each change with `CONTEXT` lines around it, ranges
/// that touch merged.
fn hunks(edits: &[Edit]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (index, edit) in edits.iter().enumerate() {
        if matches!(edit, Edit::Same(..)) {
            continue;
        }
        let (start, end) = (index.saturating_sub(CONTEXT), (index + CONTEXT + 1).min(edits.len()));
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => ranges.push((start, end)),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\nb\n", "a\nb\n", "x", "y"), "");
    }

    #[test]
    fn a_changed_line_is_shown_with_its_context() {
        let diff = unified("a\nb\nc\n", "a\nB\nc\n", "old", "new");
        assert_eq!(diff, "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    }
}
