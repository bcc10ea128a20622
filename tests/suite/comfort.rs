//! Small terminals and comfort: every wizard step drawn at 80x24 and at 160x48, the log pane,
//! the high-contrast theme with its styles, the mouse (clicks and the wheel hit-tested on the
//! last frame), and panes that stop at their end.

use crate::common;

use std::sync::Arc;

use common::{Harness, approve_and_apply, render, walk_to_plan};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::config::Theme;
use ferry::tui::{Msg, Step};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::style::{Color, Modifier};

/// The sizes every step is drawn at: a laptop terminal and a large one.
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Run ids, hashes, times and timings change from run to run; everything else must not.
fn assert_screen(name: &str, screen: &str) {
    insta::with_settings!({
        filters => vec![
            (r"\d{8}T\d{6}Z-shop-api-[0-9a-f]{12}", "[run-id]"),
            (r"\d{8}T\d{6}Z-shop-api-[0-9a-f]{0,11}…", "[run-id]…"),
            (r"\d{8}T\d{6}Z-shop-[0-9a-f]{0,11}…?", "[run-id]"),
            (r"\d{8}T\d{6}Z-sho…?", "[run-id]"),
            (r"\b\d+\.\ds\b", "[t]"),
            (r"\b\d+m \d\ds\b", "[t]"),
            (r"\b[0-9a-f]{64}\b", "[sha256]"),
            (r"plan [0-9a-f]{8}", "plan [hash]"),
            (r"planned again \([0-9a-f]{8}\)", "planned again ([plan hash])"),
            (r"\b\d+(\.\d)? / \d+(\.\d)? ms *", "[p50] / [p95] ms "),
            (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[time]"),
            (r"\d\d:\d\d:\d\d  ", "[clock]  "),
            // A step's time, and so where its line is cut, changes from run to run.
            (r"done in \d+ ms(: .{0,16})[^│]*", "done in [ms]$1…"),
        ],
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, screen);
    });
}

/// The step drawn at both sizes, as `NN_step_80x24` and `NN_step_160x48`.
fn both_sizes(h: &Harness, name: &str) {
    for (width, height) in SIZES {
        assert_screen(&format!("{name}_{width}x{height}"), &render(&h.app, width, height));
    }
}

/// The demo with its runs journaled in `dir`, its session's events kept for the log pane.
async fn journaled(dir: &std::path::Path) -> Harness {
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    Harness::with_runs(sandbox, dir).await
}

#[tokio::test]
async fn every_step_at_80x24_and_160x48() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = journaled(dir.path()).await;
    h.app.status = None;
    let names = ["01_source", "02_load_balancer", "03_iam", "04_data_stores", "05_container", "06_service", "07_plan"];
    for (index, name) in names.iter().enumerate() {
        assert_eq!(h.app.step, Step::ALL[index]);
        both_sizes(&h, &format!("comfort_{name}"));
        h.press(KeyCode::Enter).await;
        h.app.status = None;
    }
    approve_and_apply(&mut h).await;
    assert_eq!(h.app.step, Step::Apply);
    both_sizes(&h, "comfort_08_apply");
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Verify);
    both_sizes(&h, "comfort_09_verify");
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Cutover);
    both_sizes(&h, "comfort_10_cutover");
    h.press(KeyCode::Char('p')).await;
    approve_and_apply(&mut h).await;
    h.press(KeyCode::Char('p')).await;
    approve_and_apply(&mut h).await;
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Retire, "{}", h.screen());
    h.app.status = None;
    both_sizes(&h, "comfort_11_retire");
}

#[tokio::test]
async fn the_log_pane_lists_what_ferry_did_and_scrolls_within_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let log = ferry::tui::session_log::SessionLog::default();
    let _guard = ferry::tui::session_log::capture(&log);
    let mut h = journaled(dir.path()).await;
    h.app.log.session = log.clone();
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    h.app.status = None;
    h.char('l');
    assert!(h.app.log.shown, "l opens the log");
    both_sizes(&h, "comfort_log_pane");
    let text: Vec<String> = log.entries().into_iter().map(|e| e.text).collect();
    for said in ["discovering i-0a1b2c3d4e5f60718", "approved the migration plan", "migration run applied"] {
        assert!(text.iter().any(|t| t.contains(said)), "{said:?} in {text:#?}");
    }
    // Scrolled far up, then far down: it stops at each end, and follows new lines at the bottom.
    render(&h.app, 80, 24);
    for _ in 0..100 {
        h.key(KeyCode::Up);
    }
    let top = render(&h.app, 80, 24);
    assert!(top.contains("account 111122223333"), "the first line is at the top:\n{top}");
    h.key(KeyCode::Down);
    assert_ne!(render(&h.app, 80, 24), top, "down moves at once from the top");
    for _ in 0..100 {
        h.key(KeyCode::Down);
    }
    assert_eq!(h.app.log.scroll, None, "at the end it follows again");
    assert!(render(&h.app, 80, 24).contains("migration run applied"), "the last line is at the bottom");
    h.char('l');
    assert!(!h.app.log.shown, "l closes it");
}

/// The cells of `buffer` whose style is not the default, a run of cells per line: what a text
/// snapshot cannot show.
fn styles(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut runs: Vec<(u16, u16, String)> = Vec::new();
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let style = format!("{:?}/{:?}/{:?}", cell.fg, cell.bg, cell.modifier);
            if cell.fg == Color::Reset && cell.bg == Color::Reset && cell.modifier.is_empty() {
                continue;
            }
            match runs.last_mut() {
                Some((_, to, last)) if *last == style && *to == x => *to = x + 1,
                _ => runs.push((x, x + 1, style)),
            }
        }
        if !runs.is_empty() {
            let runs: Vec<String> = runs.iter().map(|(from, to, s)| format!("{from}-{to} {s}")).collect();
            out.push_str(&format!("{y:>2}: {}\n", runs.join(", ")));
        }
    }
    out
}

fn buffer(h: &Harness, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ferry::tui::view(&h.app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

#[tokio::test]
async fn the_high_contrast_theme_has_no_dim_grey_and_keeps_every_cue() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = journaled(dir.path()).await;
    walk_to_plan(&mut h).await;
    h.app.status = None;
    h.app.ui.theme = Theme::HighContrast;
    let frame = buffer(&h, 80, 24);
    assert_screen("comfort_high_contrast_plan_80x24", &render(&h.app, 80, 24));
    assert_screen("comfort_high_contrast_plan_80x24_styles", &styles(&frame));
    assert!(frame.content.iter().all(|c| c.fg != Color::DarkGray), "no dim grey");
    let badge = (0..80).find(|x| frame[(*x, 0)].symbol() == "S").expect("the badge");
    assert!(frame[(badge, 0)].modifier.contains(Modifier::BOLD) && frame[(badge, 0)].bg != Color::Reset);
    let selected = frame.content.iter().filter(|c| c.modifier.contains(Modifier::REVERSED | Modifier::BOLD)).count();
    assert!(selected > 20, "the selected row is in bold reverse video");
    let footer = 23;
    let enter = (0..80).find(|x| frame[(*x, footer)].symbol() == "a").expect("the approve key");
    assert!(frame[(enter, footer)].modifier.contains(Modifier::BOLD), "keys are bold");
}

fn click(h: &mut Harness, kind: MouseEventKind, column: u16, row: u16) {
    h.send(Msg::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }));
}

/// The row and column where `needle` is drawn.
fn find(screen: &str, needle: &str) -> (u16, u16) {
    let (row, line) = screen.lines().enumerate().find(|(_, l)| l.contains(needle)).expect(needle);
    let column = line.trim_start_matches('"').split(needle).next().unwrap().chars().count();
    (column as u16, row as u16)
}

#[tokio::test]
async fn clicks_select_rows_steps_and_panes_and_the_wheel_scrolls_the_pane_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = journaled(dir.path()).await;
    let left = MouseEventKind::Down(MouseButton::Left);
    // Off unless asked for: a click does nothing.
    let screen = h.screen();
    let (x, y) = find(&screen, "shop-worker");
    click(&mut h, left, x, y);
    assert_eq!(h.app.screens.source.list.selected, 0, "the mouse is off by default");

    h.app.ui.mouse = true;
    click(&mut h, left, x, y);
    assert_eq!(h.app.screens.source.list.selected, 1, "a click selects the row under it");
    click(&mut h, MouseEventKind::ScrollDown, x, y);
    assert_eq!(h.app.screens.source.list.selected, 2, "the wheel moves down the list under it");
    click(&mut h, MouseEventKind::ScrollUp, x, y);
    click(&mut h, MouseEventKind::ScrollUp, x, y);
    assert_eq!(h.app.screens.source.list.selected, 0);
    // With the log open, a click on the list is still the list's.
    h.char('l');
    let screen = h.screen();
    click(&mut h, left, x, y);
    assert_eq!(h.app.screens.source.list.selected, 1, "{screen}");
    assert_eq!(h.app.log.scroll, None, "the log did not move");
    h.char('l');

    // A step in the breadcrumb: on as far as the steps allow, back at once.
    walk_to_plan(&mut h).await;
    let screen = h.screen();
    let (x, y) = find(&screen, "IAM");
    click(&mut h, left, x + 1, y);
    assert_eq!(h.app.step, Step::Iam, "a click on a step goes there");
    let screen = h.screen();
    let (x, y) = find(&screen, "Plan");
    click(&mut h, left, x + 1, y);
    assert_eq!(h.app.step, Step::Plan, "and on again");

    // The Plan's lower panes: a click gives one the focus, the wheel scrolls the one under it.
    let screen = h.screen();
    let (x, y) = find(&screen, "┌ Step");
    assert!(!h.app.screens.plan.step_focused);
    click(&mut h, left, x + 4, y + 3);
    assert!(h.app.screens.plan.step_focused, "a click in the step pane focuses it:\n{screen}");
    let (x, y) = find(&screen, "┌ Checks");
    click(&mut h, MouseEventKind::ScrollDown, x + 4, y + 3);
    assert!(!h.app.screens.plan.step_focused, "the wheel scrolls the pane under the pointer");
    assert_eq!(h.app.screens.plan.checks_scroll, 3, "{}", h.screen());
}

/// Presses `code` `times` times, drawing at 80x24 after
/// each as the terminal would, and returns the last frame.
fn pressed(h: &mut Harness, code: KeyCode, times: usize) -> String {
    let mut last = render(&h.app, 80, 24);
    for _ in 0..times {
        h.key(code);
        last = render(&h.app, 80, 24);
    }
    last
}

#[tokio::test]
async fn no_pane_scrolls_past_its_end_and_each_comes_back_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = journaled(dir.path()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    h.press(KeyCode::Enter).await;
    let steps = [Step::Source, Step::LoadBalancer, Step::Iam, Step::DataStores, Step::Container, Step::Plan];
    for step in steps.into_iter().chain([Step::Apply, Step::Verify]) {
        h.app.step = step;
        for (down, up) in [(KeyCode::Char('j'), KeyCode::Char('k')), (KeyCode::Char('J'), KeyCode::Char('K'))] {
            let start = render(&h.app, 80, 24);
            let far = pressed(&mut h, down, 60);
            assert_eq!(pressed(&mut h, down, 1), far, "{step:?}: {down:?} stops at the end");
            if far != start {
                assert_ne!(pressed(&mut h, up, 1), far, "{step:?}: {up:?} comes back at once");
            }
            pressed(&mut h, KeyCode::Home, 1);
        }
    }
    // The help box on a terminal too short for it scrolls to its last line and no further.
    h.app.step = Step::Plan;
    h.char('?');
    let small = |h: &Harness| render(&h.app, 70, 14);
    let top = small(&h);
    assert!(top.contains("scroll"), "the box says it scrolls:\n{top}");
    for _ in 0..40 {
        h.key(KeyCode::Down);
        small(&h);
    }
    let far = small(&h);
    assert!(far.contains("any key closes this help"), "{far}");
    h.key(KeyCode::Down);
    assert_eq!(small(&h), far, "no further than the last line");
    h.key(KeyCode::Up);
    assert_ne!(small(&h), far, "and back up at once");
    h.char('x');
    assert_eq!(h.app.overlay, None, "any other key closes it");
}
