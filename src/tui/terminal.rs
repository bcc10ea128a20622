//! Entering and leaving the terminal, and reading keys on a thread of their own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, WrapErr};
use ratatui::crossterm::event::{self, Event};
use ratatui::{DefaultTerminal, Frame};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::msg::Msg;

/// Raw mode and the alternate screen. ratatui's `init` installs a panic hook that restores
/// the terminal before the panic message prints; ferry keeps it for the UI thread only. A
/// panic in engine work is caught and shown on screen, and the terminal must stay as it is.
pub fn enter() -> Result<DefaultTerminal> {
    let terminal = ratatui::try_init().wrap_err(
        "ferry needs an interactive terminal; without one, use discover, plan, generate or inventory --json",
    )?;
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            restore_and_report(info);
        }
    }));
    Ok(terminal)
}

pub fn leave() {
    // Harmless when it was never on: a terminal left reporting the mouse is unusable.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::DisableMouseCapture);
    ratatui::restore();
}

/// Asks the terminal for clicks and the wheel. The terminal's own text selection then needs
/// Shift (most terminals), which is why the mouse is opt-in.
pub fn capture_mouse() -> Result<()> {
    ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::EnableMouseCapture)
        .wrap_err("cannot turn the mouse on")
}

/// Draws `app`, waits for messages and hands them to `handle`, until `done` says so. What
/// arrived meanwhile is handled in one go, so a burst of events costs one frame.
pub async fn event_loop<A, M>(
    term: &mut DefaultTerminal,
    rx: &mut UnboundedReceiver<M>,
    app: &mut A,
    draw: impl Fn(&A, &mut Frame),
    mut handle: impl FnMut(&mut A, M),
    done: impl Fn(&A) -> bool,
) -> Result<()> {
    loop {
        term.draw(|frame| draw(app, frame))?;
        let Some(first) = rx.recv().await else { return Ok(()) };
        handle(app, first);
        while let Ok(msg) = rx.try_recv() {
            handle(app, msg);
        }
        if done(app) {
            return Ok(());
        }
    }
}

pub struct InputThread {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

/// The longest a reader waits for a key before it looks at its stop flag.
const POLL_SLICE: Duration = Duration::from_millis(20);

impl InputThread {
    /// Stops the reader and waits for it: a reader left polling would take the next screen's
    /// first key and drop it into a closed channel.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.thread.join();
    }
}

/// Polls the terminal for keys and sends a tick every `tick`. Blocking reads stay off the
/// async runtime.
pub fn spawn_input_thread(tx: UnboundedSender<Msg>, tick: Duration) -> InputThread {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut last_tick = Instant::now();
        while !stopped.load(Ordering::SeqCst) {
            let timeout = tick.saturating_sub(last_tick.elapsed()).min(POLL_SLICE);
            if event::poll(timeout).unwrap_or(false) {
                let sent = match event::read() {
                    Ok(Event::Key(key)) => tx.send(Msg::Key(key)),
                    Ok(Event::Mouse(mouse)) => tx.send(Msg::Mouse(mouse)),
                    // The loop draws again at once, and ratatui clears a resized terminal first.
                    Ok(Event::Resize(width, height)) => tx.send(Msg::Resize(width, height)),
                    _ => Ok(()),
                };
                if sent.is_err() {
                    break;
                }
            }
            if last_tick.elapsed() >= tick {
                last_tick = Instant::now();
                if tx.send(Msg::Tick).is_err() {
                    break;
                }
            }
        }
    });
    InputThread { stop, thread }
}
