//! A table that stays fast with tens of thousands of rows: rows are built once, sorting
//! reorders indices, filtering keeps the sorted order, and drawing touches only the window.

use std::cmp::Ordering;

/// One resource's row: its cells, escaped, and what it is looked up by.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// What `related` takes for this resource (id, ARN or name).
    pub key: String,
    /// The cells, one per column, escaped for drawing.
    pub cells: Vec<String>,
    /// Every cell, lower-cased and joined, for the filter.
    haystack: String,
}

impl TableRow {
    /// A row of `cells`, looked up by `key`.
    pub fn new(key: String, cells: Vec<String>) -> TableRow {
        let haystack = cells.join("\u{1f}").to_lowercase();
        TableRow { key, cells, haystack }
    }
}

/// One kind's rows, with their sort, filter and selection.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The column headings.
    pub columns: Vec<&'static str>,
    rows: Vec<TableRow>,
    /// Row indices in sort order.
    order: Vec<usize>,
    /// `order` filtered: what is shown.
    visible: Vec<usize>,
    /// The text every shown row contains (any case); empty shows them all.
    pub filter: String,
    /// Sorted column and whether descending.
    pub sort: Option<(usize, bool)>,
    /// The selected row, as an index into the shown rows.
    pub selected: usize,
}

impl Table {
    /// An empty table with these headings.
    pub fn new(columns: Vec<&'static str>) -> Table {
        Table { columns, ..Table::default() }
    }

    /// New rows (a refresh), keeping filter, sort and, where it still exists, the selection.
    pub fn set_rows(&mut self, rows: Vec<TableRow>) {
        let selected_key = self.selected_row().map(|r| r.key.clone());
        self.rows = rows;
        self.resort();
        if let Some(key) = selected_key {
            self.selected = self.visible.iter().position(|&i| self.rows[i].key == key).unwrap_or(0);
        }
    }

    /// Every row, shown or not.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows at all.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows the filter lets through.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The shown rows from `start`, at most `count` of them.
    pub fn window(&self, start: usize, count: usize) -> impl Iterator<Item = &TableRow> {
        self.visible.iter().skip(start).take(count).map(|&i| &self.rows[i])
    }

    /// The selected row, if any is shown.
    pub fn selected_row(&self) -> Option<&TableRow> {
        self.visible.get(self.selected).map(|&i| &self.rows[i])
    }

    /// Shows only the rows containing `filter`, keeping the sort.
    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.refilter();
    }

    /// Sorts by the next column (or the first); `reverse` flips the direction instead.
    pub fn cycle_sort(&mut self, reverse: bool) {
        self.sort = match (self.sort, reverse) {
            (None, _) => Some((0, reverse)),
            (Some((column, descending)), true) => Some((column, !descending)),
            (Some((column, _)), false) => Some(((column + 1) % self.columns.len().max(1), false)),
        };
        self.resort();
    }

    /// Moves the selection `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Selects the last shown row.
    pub fn select_last(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    fn resort(&mut self) {
        let selected_key = self.selected_row().map(|r| r.key.clone());
        self.order = (0..self.rows.len()).collect();
        if let Some((column, descending)) = self.sort {
            let rows = &self.rows;
            self.order.sort_by(|&a, &b| {
                let ordering = compare(cell(&rows[a], column), cell(&rows[b], column));
                if descending { ordering.reverse() } else { ordering }
            });
        }
        self.refilter();
        if let Some(key) = selected_key {
            self.selected = self.visible.iter().position(|&i| self.rows[i].key == key).unwrap_or(0);
        }
    }

    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.visible = if needle.is_empty() {
            self.order.clone()
        } else {
            self.order.iter().copied().filter(|&i| self.rows[i].haystack.contains(&needle)).collect()
        };
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }
}

fn cell(row: &TableRow, column: usize) -> &str {
    row.cells.get(column).map_or("", String::as_str)
}

/// Numbers by value, everything else alphabetically without regard to case.
fn compare(a: &str, b: &str) -> Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(vec!["name", "port"]);
        t.set_rows(vec![
            TableRow::new("a".into(), vec!["web".into(), "8080".into()]),
            TableRow::new("b".into(), vec!["Api".into(), "443".into()]),
            TableRow::new("c".into(), vec!["db".into(), "5432".into()]),
        ]);
        t
    }

    fn keys(t: &Table) -> Vec<&str> {
        t.window(0, 10).map(|r| r.key.as_str()).collect()
    }

    #[test]
    fn sorts_numbers_by_value_and_text_without_case() {
        let mut t = table();
        t.cycle_sort(false);
        assert_eq!(keys(&t), ["b", "c", "a"]);
        t.cycle_sort(false);
        assert_eq!(keys(&t), ["b", "c", "a"], "443 < 5432 < 8080");
        t.cycle_sort(true);
        assert_eq!(keys(&t), ["a", "c", "b"]);
    }

    #[test]
    fn filter_and_sort_survive_new_rows() {
        let mut t = table();
        t.cycle_sort(false);
        t.set_filter("b");
        assert_eq!(keys(&t), ["c", "a"], "db and web, by name");
        t.move_by(1);
        t.set_rows(vec![
            TableRow::new("a".into(), vec!["web".into(), "8080".into()]),
            TableRow::new("d".into(), vec!["cab".into(), "6379".into()]),
        ]);
        assert_eq!(keys(&t), ["d", "a"]);
        assert_eq!(t.selected_row().map(|r| r.key.as_str()), Some("a"), "the selection follows its row");
    }
}
