//! The estimate as lines of text, the same in every front end: a two-line headline that fits
//! 80 columns, and the details with each figure's basis.

use super::estimate::{After, Estimate, Today};

/// Two lines: today → after, then the prices' date and source. Each is cut to `width`
/// characters, so a narrow screen shows the start of each rather than wrapping the figures.
pub fn headline(estimate: &Estimate, width: usize) -> [String; 2] {
    let first = format!("cost today {} → after {}", today_total(&estimate.today), after_total(&estimate.after));
    let second = format!("(prices as of {}, {})", estimate.prices_as_of, source_short(estimate));
    [cut(&first, width), cut(&second, width)]
}

/// Every line of the estimate: the totals, each item with its basis, what is assumed and what
/// is left out.
pub fn details(estimate: &Estimate) -> Vec<String> {
    let mut lines = vec![format!(
        "cost per month ({} h, {}, {}), prices as of {} ({})",
        estimate.hours_per_month, estimate.currency, estimate.region, estimate.prices_as_of, estimate.prices_origin
    )];
    lines.push(format!("  source: {}", estimate.prices_source.join(", ")));
    lines.push(format!("  today: {}", today_total(&estimate.today)));
    for line in &estimate.today.lines {
        lines.push(format!("    {}: {}  ({})", line.item, line.monthly, line.basis));
    }
    lines.extend(estimate.today.missing.iter().map(|m| format!("    {m}")));
    let after = &estimate.after;
    lines.push(format!("  after: {}", after_total(after)));
    for line in &after.lines {
        let figure = if line.min == line.max { line.min.to_string() } else { format!("{} – {}", line.min, line.max) };
        lines.push(format!("    {}: {figure}  ({})", line.item, line.basis));
    }
    lines.extend(after.missing.iter().map(|m| format!("    {m}")));
    lines.extend(estimate.assumptions.iter().map(|a| format!("  assumes: {a}")));
    lines.push(format!("  left out: {}", estimate.left_out.join(", ")));
    lines
}

/// `$51.20/mo`, or what could not be priced.
fn today_total(today: &Today) -> String {
    match (today.monthly, today.missing.first()) {
        (Some(total), _) => format!("{total}/mo"),
        (None, Some(missing)) => format!("unknown ({missing})"),
        (None, None) => "unknown".into(),
    }
}

/// `$69.26–$188.33/mo (2–4 tasks)`, or what could not be priced.
fn after_total(after: &After) -> String {
    match (after.monthly_min, after.monthly_max, after.missing.first()) {
        (Some(min), Some(max), _) if min == max => format!("{min}/mo ({})", tasks(after)),
        (Some(min), Some(max), _) => format!("{min}–{max}/mo ({})", tasks(after)),
        (_, _, Some(missing)) => format!("unknown ({missing})"),
        _ => "unknown".into(),
    }
}

fn tasks(after: &After) -> String {
    match (after.min_tasks, after.max_tasks) {
        (1, 1) => "1 task".into(),
        (min, max) if min == max => format!("{min} tasks"),
        (min, max) => format!("{min}–{max} tasks"),
    }
}

/// `bundled, aws.amazon.com`: where the book came from, and the hosts its sources name.
fn source_short(estimate: &Estimate) -> String {
    let mut hosts: Vec<&str> = estimate
        .prices_source
        .iter()
        .map(|s| {
            let rest = s.split_once("://").map_or(s.as_str(), |(_, rest)| rest);
            rest.split('/').next().unwrap_or(rest)
        })
        .collect();
    hosts.dedup();
    let origin = if estimate.prices_origin == "bundled" {
        "bundled".to_string()
    } else {
        format!("file {}", estimate.prices_origin)
    };
    format!("{}, {origin}", hosts.join(", "))
}

/// `text` to at most `width` characters, the cut marked with `…`.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}
