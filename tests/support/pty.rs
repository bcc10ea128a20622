//! The real binary in a pseudo-terminal, read through a terminal emulator: what a person at a
//! terminal sees, and keys typed as they would type them.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// How long a test waits for text to appear, or for ferry to exit.
const PATIENCE: Duration = Duration::from_secs(30);

/// The reason typed for the node-shop plan's deny (its SES permission).
pub const DENY_REASON: &str = "pty test: SES is narrowed in OPS-7";

/// A running ferry and its screen.
pub struct Session {
    /// What the terminal shows, as the emulator parsed it.
    pub screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    /// The ferry process.
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// The terminal's side, kept open for the session's life: closing it hangs up the child.
    master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// Starts ferry on a 120x40 terminal (the wizard's size), its state folder in `state`.
    pub fn start(args: &[&str], state: &Path) -> Session {
        Session::start_with(args, state, &[])
    }

    /// As `start`, with more environment variables.
    pub fn start_with(args: &[&str], state: &Path, env: &[(&str, &str)]) -> Session {
        Session::open(args, state, env, 40, 120)
    }

    /// Starts ferry on a terminal tall enough that a command's whole output stays on screen.
    pub fn tall(args: &[&str], state: &Path) -> Session {
        Session::open(args, state, &[], 200, 200)
    }

    fn open(args: &[&str], state: &Path, env: &[(&str, &str)], rows: u16, cols: u16) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ferry"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("FERRY_STATE_DIR", state);
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pty.slave.spawn_command(command).expect("ferry starts");
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let feed = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Session { screen, writer, child, master: pty.master }
    }

    /// Resizes the terminal, as a person dragging its window's corner: ferry hears SIGWINCH.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.screen.lock().unwrap().screen_mut().set_size(rows, cols);
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("the terminal resizes");
    }

    /// The screen's text.
    pub fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `needle`.
    pub fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.text().contains(needle) {
            assert!(Instant::now() < deadline, "never saw {needle:?}; the screen was:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `needle` at least `times` times: the same question asked
    /// again.
    pub fn wait_for_times(&self, needle: &str, times: usize) {
        let deadline = Instant::now() + PATIENCE;
        while self.text().matches(needle).count() < times {
            assert!(Instant::now() < deadline, "never saw {needle:?} {times} times; the screen was:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `keys` as they are.
    pub fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types `line` and Enter.
    pub fn type_line(&mut self, line: &str) {
        self.keys(&format!("{line}\r"));
    }

    /// Waits for ferry to exit.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "ferry did not exit; the screen was:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `a`, a reason for any deny (`DENY_REASON`), then `y`: a plan approved as an operator
    /// approves it.
    pub fn approve(&mut self) {
        self.keys("a");
        let deadline = Instant::now() + PATIENCE;
        while !self.text().contains("y apply") {
            if self.text().contains("Override a deny") {
                self.keys(&format!("\u{15}{DENY_REASON}\r"));
                std::thread::sleep(Duration::from_millis(200));
            }
            assert!(Instant::now() < deadline, "no confirmation:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
        self.keys("y");
    }

    /// Walks the node-shop demo from its first screen to the Plan step, each step's title
    /// seen on the way.
    pub fn walk_to_plan(&mut self) {
        self.wait_for("Enter discover this instance");
        self.keys("\r");
        self.wait_for("What sends traffic to shop-api-prod");
        for title in
            ["Role shop-ec2-role", "What shop-api-prod depends on", "Application profile", "service.json", "Plan "]
        {
            self.keys("\r");
            self.wait_for(title);
        }
    }
}
