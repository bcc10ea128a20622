//! The real binary in a pseudo-terminal, read through a terminal emulator: what an operator
//! sees, key by key, from the first screen to APPLIED, ROLLED BACK and a clean exit.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    /// Starts ferry with its state folder (audit log) in `state`.
    fn start(args: &[&str], state: &std::path::Path) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ferry"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("FERRY_STATE_DIR", state);
        let child = pty.slave.spawn_command(command).expect("ferry starts");
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
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
        // Keep the master open for the session's life: closing it hangs up the child.
        std::mem::forget(pty.master);
        Session { screen, writer, child }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.text().contains(needle) {
            assert!(Instant::now() < deadline, "never saw {needle:?}; the screen was:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

#[test]
fn the_demo_walks_to_applied_rolls_back_and_restores_the_terminal() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["demo", "--latency-ms", "0"], state.path());
    s.wait_for("SANDBOX");
    s.wait_for("› ● shop-api-prod");
    s.wait_for("Enter discover this instance");

    s.keys("\r");
    s.wait_for("What sends traffic to shop-api-prod");
    for title in ["Role shop-ec2-role", "What shop-api-prod depends on", "Application profile", "service.json", "Plan "]
    {
        s.keys("\r");
        s.wait_for(title);
    }
    s.keys("a");
    s.wait_for("y apply");
    s.keys("y");
    s.wait_for("APPLIED");
    s.keys("r");
    s.wait_for("y roll back");
    s.keys("y");
    s.wait_for("ROLLED BACK");
    assert!(s.screen.lock().unwrap().screen().alternate_screen(), "the wizard draws on the alternate screen");

    s.keys("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "ferry did not exit on q");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "clean exit: {status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let parser = s.screen.lock().unwrap();
    assert!(!parser.screen().alternate_screen(), "the terminal is back on the main screen");
    assert!(!parser.screen().hide_cursor(), "the cursor is visible again");

    // The run and its rollback are in the audit log, chained, with the sandbox's operator.
    let log = state.path().join("audit.jsonl");
    let records = ferry::audit::verify(&log).expect("the audit log exists").expect("its chain is whole");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(records > 20 && text.contains("\"finish rollback\"") && text.contains("user/demo-operator"), "{text}");
}
