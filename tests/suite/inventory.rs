//! The read-only inventory browser, driven by messages on the sandbox: switching kinds,
//! filtering, sorting, details, and every screen as a snapshot at 120x40.

use std::sync::Arc;

use ferry::cloud::ReadCloud;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::inventory::Kind;
use ferry::tui::inventory::{
    InventoryApp, InventoryCommand, InventoryMsg, spawn_inventory_command, update_inventory, view_inventory,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

struct Browser {
    app: InventoryApp,
    cloud: Arc<dyn ReadCloud>,
    tx: UnboundedSender<InventoryMsg>,
    rx: UnboundedReceiver<InventoryMsg>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Browser {
    async fn open() -> Browser {
        let cloud: Arc<dyn ReadCloud> = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
        let (tx, rx) = unbounded_channel();
        let mut browser = Browser { app: InventoryApp::new("node-shop"), cloud, tx, rx, tasks: Vec::new() };
        browser.run(InventoryCommand::Load);
        browser.settle().await;
        browser
    }

    fn run(&mut self, command: InventoryCommand) {
        if let Some(task) = spawn_inventory_command(command, &self.cloud, self.tx.clone()) {
            self.tasks.push(task);
        }
    }

    fn key(&mut self, code: KeyCode) {
        if let Some(command) =
            update_inventory(&mut self.app, InventoryMsg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
        {
            self.run(command);
        }
    }

    fn text(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    async fn settle(&mut self) {
        loop {
            for task in std::mem::take(&mut self.tasks) {
                task.await.unwrap();
            }
            let mut fed = false;
            while let Ok(msg) = self.rx.try_recv() {
                fed = true;
                if let Some(command) = update_inventory(&mut self.app, msg) {
                    self.run(command);
                }
            }
            if !fed && self.tasks.is_empty() {
                break;
            }
        }
    }

    fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|frame| view_inventory(&self.app, frame)).unwrap();
        terminal.backend().to_string()
    }

    fn selected(&self) -> Option<String> {
        self.app.table().and_then(|t| t.selected_row()).map(|r| r.cells[0].clone())
    }
}

fn snapshot(name: &str, screen: &str) {
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}

#[tokio::test]
async fn opens_on_instances_read_only() {
    let b = Browser::open().await;
    let screen = b.screen();
    assert!(screen.contains("READ-ONLY") && screen.contains("instances (6/6)"));
    snapshot("inventory_instances", &screen);
}

#[tokio::test]
async fn colon_switches_kind_by_name_alias_or_prefix() {
    let mut b = Browser::open().await;
    for (typed, kind) in
        [("sg", Kind::SecurityGroups), ("db", Kind::Databases), ("load", Kind::LoadBalancers), ("roles", Kind::Roles)]
    {
        b.key(KeyCode::Char(':'));
        b.text(typed);
        b.key(KeyCode::Enter);
        assert_eq!(b.app.kind, kind, ":{typed}");
    }
    b.key(KeyCode::Char(':'));
    b.text("nonsense");
    b.key(KeyCode::Enter);
    assert_eq!(b.app.kind, Kind::Roles, "an unknown kind changes nothing");
    assert!(b.app.status.as_deref().unwrap_or("").contains("no resource kind"));
    b.key(KeyCode::Char(':'));
    b.text("tg");
    snapshot("inventory_command_prompt", &b.screen());
}

#[tokio::test]
async fn slash_filters_as_you_type_and_survives_switching_kinds() {
    let mut b = Browser::open().await;
    b.key(KeyCode::Char('/'));
    b.text("shop");
    assert!(b.screen().contains("instances (3/6) /shop"), "{}", b.screen());
    b.key(KeyCode::Enter);
    b.key(KeyCode::Tab);
    assert_eq!(b.app.kind, Kind::LoadBalancers);
    b.key(KeyCode::BackTab);
    assert_eq!(b.app.table().unwrap().filter, "shop", "the filter stays with its table");
    snapshot("inventory_filtered", &b.screen());
    b.key(KeyCode::Esc);
    assert!(b.screen().contains("instances (6/6)"));
}

#[tokio::test]
async fn s_sorts_by_column_and_capital_s_reverses() {
    let mut b = Browser::open().await;
    let first = |b: &Browser| b.app.table().and_then(|t| t.window(0, 1).next().map(|r| r.cells[0].clone()));
    b.key(KeyCode::Char('s'));
    assert_eq!(first(&b).as_deref(), Some("bastion"), "sorted by name");
    assert_eq!(b.selected().as_deref(), Some("shop-api-prod"), "the selection stays on its row");
    b.key(KeyCode::Char('S'));
    assert_eq!(first(&b).as_deref(), Some("shop-worker"), "reversed");
    assert!(b.screen().contains("▼Name"));
}

#[tokio::test]
async fn sort_and_filter_survive_a_refresh() {
    let mut b = Browser::open().await;
    b.key(KeyCode::Char('s'));
    b.key(KeyCode::Char('/'));
    b.text("shop");
    b.key(KeyCode::Enter);
    b.key(KeyCode::Char('j'));
    let before = b.selected();
    b.key(KeyCode::Char('R'));
    b.settle().await;
    let table = b.app.table().unwrap();
    assert_eq!((table.filter.as_str(), table.sort), ("shop", Some((0, false))));
    assert_eq!(b.selected(), before, "the selection follows its row");
}

#[tokio::test]
async fn enter_shows_related_resources_for_every_kind() {
    let mut b = Browser::open().await;
    let expectations = [
        (Kind::Instances, "shop-api-prod", "shop-alb → shop-tg :3000"),
        (Kind::LoadBalancers, "shop-alb", "HTTPS:443"),
        (Kind::TargetGroups, "shop-tg", "i-0a1b2c3d4e5f60718 :3000 healthy"),
        (Kind::SecurityGroups, "shop-db", "database shop-db"),
        (Kind::Roles, "shop-ec2-role", "shop-s3-access (inline)"),
        (Kind::Databases, "shop-db", "admits shop-app (sg-0b2c3d4e5f6a7b8c9) on 5432"),
        (Kind::Caches, "shop-cache", "admits shop-app (sg-0b2c3d4e5f6a7b8c9) on 6379"),
    ];
    for (kind, name, related) in expectations {
        b.app.kind = kind;
        b.key(KeyCode::Char('/'));
        b.text(name);
        b.key(KeyCode::Enter);
        b.key(KeyCode::Enter);
        b.settle().await;
        let screen = b.screen();
        assert!(screen.contains(related), "{kind:?} {name} shows {related:?}:\n{screen}");
        if kind == Kind::Instances {
            assert!(!screen.contains("Tr0ub4dor"), "user data stays masked");
            snapshot("inventory_instance_details", &screen);
        }
        b.key(KeyCode::Esc);
        assert!(b.app.details.is_none());
        b.key(KeyCode::Esc);
    }
}

#[tokio::test]
async fn help_and_quit() {
    let mut b = Browser::open().await;
    b.key(KeyCode::Char('?'));
    snapshot("inventory_help", &b.screen());
    b.key(KeyCode::Char('x'));
    assert!(!b.app.help);
    b.key(KeyCode::Char('q'));
    assert!(b.app.should_quit);
}

#[tokio::test]
async fn ten_thousand_rows_browse_and_filter() {
    let mut b = Browser::open().await;
    let rows = (0..10_000)
        .map(|n| {
            ferry::tui::inventory::TableRow::new(format!("i-{n:05}"), vec![format!("host-{n:05}"), format!("i-{n:05}")])
        })
        .collect();
    b.app.tables.get_mut(&Kind::Instances).unwrap().set_rows(rows);
    b.key(KeyCode::End);
    assert_eq!(b.selected().as_deref(), Some("host-09999"));
    assert!(b.screen().contains("› host-09999"), "the window follows the selection");
    b.key(KeyCode::Char('/'));
    b.text("0042");
    assert_eq!(b.app.table().unwrap().visible_len(), 11, "host-00042 and host-0042x");
}
