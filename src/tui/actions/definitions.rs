//! The actions and their definitions: id, default keys, hint text, and where each works.

/// What a key does: each one's [`Definition`] says what, with which keys, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Next,
    Back,
    Help,
    Quit,
    Approve,
    RollBack,
    Resume,
    ReviewRuns,
    /// Opens and closes the log pane of what ferry did this session.
    ToggleLog,
    OpenFolder,
    SecretSource,
    /// Plans the next move of the traffic: the cutover, then its finalize.
    PlanTraffic,
    /// Journals that the operator removed an item of the old stack.
    ConfirmRemoved,
    /// Ctrl-C: quits from anywhere, even while typing.
    Interrupt,
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    First,
    Last,
    Filter,
    SwitchPane,
    SwitchPaneBack,
    PaneLeft,
    PaneRight,
    Edit,
    ScrollPaneDown,
    ScrollPaneUp,
    Save,
    CloseEditor,
    Accept,
    Cancel,
    ClearEntry,
    Complete,
    Confirm,
    Decline,
    StopAndKeep,
    Command,
    NextKind,
    PreviousKind,
    Sort,
    ReverseSort,
    Refresh,
    RefreshAnywhere,
    CloseDetails,
    /// The Service step: the edited artifact against the generated one.
    Diff,
    /// The Service step: the focused artifact back to what ferry generated (asks first).
    Revert,
    /// Sideways scrolling of a pane whose lines are cut.
    ScrollLeft,
    ScrollRight,
    /// The editor's undo and redo.
    UndoEdit,
    RedoEdit,
    /// Shows or hides the demo's training notes for the step.
    Training,
}

/// Where a key can be pressed, one bit each: the conflict check asks whether two scopes share
/// one. A box over the wizard or a text field takes every key, so it is a place of its own.
pub(super) mod place {
    pub const SOURCE: u32 = 1;
    pub const LOAD_BALANCER: u32 = 1 << 1;
    pub const IAM: u32 = 1 << 2;
    pub const DATA_STORES: u32 = 1 << 3;
    pub const CONTAINER: u32 = 1 << 4;
    pub const SERVICE: u32 = 1 << 5;
    pub const PLAN: u32 = 1 << 6;
    pub const APPLY: u32 = 1 << 7;
    pub const VERIFY: u32 = 1 << 8;
    /// A list's filter prompt (`/`).
    pub const FILTER_TEXT: u32 = 1 << 9;
    /// The Service step's artifact editor.
    pub const EDITOR: u32 = 1 << 10;
    pub const FOLDER_TEXT: u32 = 1 << 11;
    pub const FOLDER_READING: u32 = 1 << 12;
    pub const SECRET_TEXT: u32 = 1 << 13;
    /// The reason for overriding a deny.
    pub const REASON_TEXT: u32 = 1 << 14;
    /// A yes-or-no question: apply, roll back, quit, replace the edits.
    pub const QUESTION: u32 = 1 << 15;
    /// The question after a failed run.
    pub const FAILURE: u32 = 1 << 16;
    /// The list of runs an earlier process left.
    pub const RUNS_LIST: u32 = 1 << 17;
    pub const INVENTORY_TABLE: u32 = 1 << 18;
    pub const INVENTORY_DETAILS: u32 = 1 << 19;
    /// The inventory's `:` and `/` prompts.
    pub const INVENTORY_TEXT: u32 = 1 << 20;
    pub const INVENTORY_HELP: u32 = 1 << 21;
    pub const CUTOVER: u32 = 1 << 22;
    pub const RETIRE: u32 = 1 << 23;

    pub const STEPS: u32 =
        SOURCE | LOAD_BALANCER | IAM | DATA_STORES | CONTAINER | SERVICE | PLAN | APPLY | VERIFY | CUTOVER | RETIRE;
    pub const LISTS: u32 =
        SOURCE | IAM | DATA_STORES | CONTAINER | SERVICE | PLAN | CUTOVER | RETIRE | RUNS_LIST | INVENTORY;
    pub const INVENTORY: u32 = INVENTORY_TABLE | INVENTORY_DETAILS;
    /// Where typed characters are text: a key bound here must not be one.
    pub const TEXT: u32 = FILTER_TEXT | EDITOR | FOLDER_TEXT | SECRET_TEXT | REASON_TEXT | INVENTORY_TEXT;
    pub const ALL: u32 = (1 << 24) - 1;
}

/// Where an action works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every place, text fields and boxes included.
    Anywhere,
    /// Every step, the list of earlier runs, and the inventory's table and details.
    Everywhere,
    /// Every step of the wizard.
    Steps,
    /// Lists and scrolling panes.
    Lists,
    /// Lists with a `/` filter.
    Filters,
    /// Steps with two panes.
    Panes,
    /// The Container step.
    Container,
    /// The Service step.
    Service,
    /// The Plan step.
    Plan,
    /// The steps that approve a plan: Plan, and Cutover for the plans that move traffic.
    Approvals,
    /// The Apply and Cutover steps, and the boxes about runs.
    Runs,
    /// The Cutover step.
    Cutover,
    /// The Retire step.
    Retire,
    /// The Service step's artifact editor.
    Editor,
    /// One-line text fields.
    TextFields,
    /// Text fields and the questions asked in a box.
    Dialogs,
    /// Yes-or-no questions in a box.
    Questions,
    /// The source-folder prompt.
    FolderPrompt,
    /// The question after a failed run.
    FailureChoice,
    /// The inventory's table.
    Inventory,
    /// A resource's details in the inventory.
    InventoryDetails,
    /// The inventory, text fields and help included.
    InventoryAnywhere,
}

impl Scope {
    /// How `ferry keys` says where.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Anywhere => "anywhere, even while typing",
            Scope::Everywhere => "everywhere",
            Scope::Steps => "every step",
            Scope::Lists => "lists and panes",
            Scope::Filters => "Source, Data stores, Plan, inventory",
            Scope::Panes => "Service, Plan",
            Scope::Container => "Container",
            Scope::Service => "Service",
            Scope::Plan => "Plan",
            Scope::Approvals => "Plan, Cutover",
            Scope::Runs => "Apply, Cutover, the run boxes",
            Scope::Cutover => "Cutover",
            Scope::Retire => "Retire",
            Scope::Editor => "Service editor",
            Scope::TextFields => "text fields",
            Scope::Dialogs => "text fields and questions",
            Scope::Questions => "questions",
            Scope::FolderPrompt => "source-folder prompt",
            Scope::FailureChoice => "after a failed run",
            Scope::Inventory => "inventory",
            Scope::InventoryDetails => "inventory details",
            Scope::InventoryAnywhere => "inventory, even while typing",
        }
    }

    /// The places it covers.
    pub(super) fn places(self) -> u32 {
        use place::*;
        match self {
            Scope::Anywhere => ALL,
            Scope::Everywhere => STEPS | RUNS_LIST | INVENTORY,
            Scope::Steps => STEPS,
            Scope::Lists => LISTS,
            Scope::Filters => SOURCE | DATA_STORES | PLAN | INVENTORY_TABLE,
            Scope::Panes => SERVICE | PLAN,
            Scope::Container => CONTAINER,
            Scope::Service => SERVICE,
            Scope::Plan => PLAN,
            Scope::Approvals => PLAN | CUTOVER,
            Scope::Runs => APPLY | CUTOVER | RUNS_LIST | FAILURE,
            Scope::Cutover => CUTOVER,
            Scope::Retire => RETIRE,
            Scope::Editor => EDITOR,
            Scope::TextFields => TEXT & !EDITOR,
            Scope::Dialogs => (TEXT & !EDITOR) | FOLDER_READING | QUESTION | FAILURE,
            Scope::Questions => QUESTION,
            Scope::FolderPrompt => FOLDER_TEXT,
            Scope::FailureChoice => FAILURE,
            Scope::Inventory => INVENTORY_TABLE,
            Scope::InventoryDetails => INVENTORY_DETAILS,
            Scope::InventoryAnywhere => INVENTORY | INVENTORY_TEXT | INVENTORY_HELP,
        }
    }

    /// Whether an action of this scope and one of `other` can both answer one key press.
    pub fn overlaps(self, other: Scope) -> bool {
        self.places() & other.places() != 0
    }

    /// Whether it covers a text field, where a plain character is typed, not pressed.
    pub fn takes_text(self) -> bool {
        self.places() & place::TEXT != 0
    }
}

/// One action's definition.
pub struct Definition {
    pub action: Action,
    /// The name `[keys]` and `ferry keys` use.
    pub id: &'static str,
    pub keys: &'static [&'static str],
    /// What the footer and `?` help say it does.
    pub hint: &'static str,
    pub scope: Scope,
}

const fn define(
    action: Action,
    id: &'static str,
    keys: &'static [&'static str],
    hint: &'static str,
    scope: Scope,
) -> Definition {
    Definition { action, id, keys, hint, scope }
}

/// Every action, in the order `ferry keys` lists them: the wizard's steps, lists and panes,
/// text fields and questions, then the inventory's own.
pub static DEFINITIONS: [Definition; 52] = [
    define(Action::Next, "next", &["Enter"], "next", Scope::Everywhere),
    define(Action::Back, "back", &["Esc"], "back", Scope::Everywhere),
    define(Action::Help, "help", &["?"], "help", Scope::Everywhere),
    define(Action::Quit, "quit", &["q"], "quit", Scope::Everywhere),
    define(Action::Interrupt, "interrupt", &["Ctrl-C"], "quit, even while typing", Scope::Anywhere),
    define(Action::ReviewRuns, "review_runs", &["R"], "earlier runs", Scope::Steps),
    define(Action::Training, "training", &["t"], "training notes", Scope::Steps),
    define(Action::ToggleLog, "toggle_log", &["l"], "log", Scope::Steps),
    define(Action::OpenFolder, "open_folder", &["o"], "open source folder", Scope::Container),
    define(Action::SecretSource, "secret_source", &["s"], "secret source", Scope::Container),
    define(Action::Approve, "approve", &["a"], "approve and apply", Scope::Approvals),
    define(Action::PlanTraffic, "plan_traffic", &["p"], "plan the cutover", Scope::Cutover),
    define(Action::ConfirmRemoved, "confirm_removed", &["x"], "mark removed", Scope::Retire),
    define(Action::RollBack, "roll_back", &["r"], "roll back", Scope::Runs),
    define(Action::Resume, "resume", &["c"], "continue the run", Scope::Runs),
    define(Action::MoveUp, "move_up", &["Up", "k"], "up", Scope::Lists),
    define(Action::MoveDown, "move_down", &["Down", "j"], "down", Scope::Lists),
    define(Action::PageUp, "page_up", &["PageUp"], "a page up", Scope::Lists),
    define(Action::PageDown, "page_down", &["PageDown"], "a page down", Scope::Lists),
    define(Action::First, "first", &["Home", "g"], "to the top", Scope::Lists),
    define(Action::Last, "last", &["End", "G"], "to the bottom", Scope::Lists),
    define(Action::Filter, "filter", &["/"], "filter", Scope::Filters),
    define(Action::SwitchPane, "switch_pane", &["Tab"], "switch pane", Scope::Panes),
    define(Action::SwitchPaneBack, "switch_pane_back", &["BackTab"], "switch pane back", Scope::Panes),
    define(Action::PaneLeft, "pane_left", &["Left"], "the left pane", Scope::Service),
    define(Action::PaneRight, "pane_right", &["Right"], "the right pane", Scope::Service),
    define(Action::Edit, "edit", &["e"], "edit", Scope::Service),
    define(Action::ScrollPaneDown, "scroll_pane_down", &["J"], "scroll pane down", Scope::Steps),
    define(Action::ScrollPaneUp, "scroll_pane_up", &["K"], "scroll pane up", Scope::Steps),
    define(Action::Save, "save", &["Ctrl-S"], "save", Scope::Editor),
    define(Action::CloseEditor, "close_editor", &["Esc"], "close the editor", Scope::Editor),
    define(Action::Accept, "accept", &["Enter"], "accept", Scope::TextFields),
    define(Action::Cancel, "cancel", &["Esc"], "cancel", Scope::Dialogs),
    define(Action::ClearEntry, "clear_entry", &["Ctrl-U"], "clear", Scope::TextFields),
    define(Action::Complete, "complete", &["Tab"], "complete the folder name", Scope::FolderPrompt),
    define(Action::Confirm, "confirm", &["y"], "yes", Scope::Questions),
    define(Action::Decline, "decline", &["n"], "no", Scope::Questions),
    define(Action::StopAndKeep, "stop_and_keep", &["s"], "stop and keep what was made", Scope::FailureChoice),
    define(Action::Command, "command", &[":"], "kind", Scope::Inventory),
    define(Action::NextKind, "next_kind", &["Tab"], "next kind", Scope::Inventory),
    define(Action::PreviousKind, "previous_kind", &["BackTab"], "previous kind", Scope::Inventory),
    define(Action::Sort, "sort", &["s"], "sort", Scope::Inventory),
    define(Action::ReverseSort, "reverse_sort", &["S"], "reverse", Scope::Inventory),
    define(Action::Refresh, "refresh", &["R"], "refresh", Scope::Inventory),
    define(
        Action::RefreshAnywhere,
        "refresh_anywhere",
        &["Ctrl-R"],
        "refresh, even while typing",
        Scope::InventoryAnywhere,
    ),
    define(Action::CloseDetails, "close_details", &["Backspace"], "close the details", Scope::InventoryDetails),
    define(Action::Diff, "diff", &["d"], "diff", Scope::Service),
    define(Action::Revert, "revert", &["u"], "revert", Scope::Service),
    define(Action::ScrollLeft, "scroll_left", &["H"], "scroll left", Scope::Service),
    define(Action::ScrollRight, "scroll_right", &["L"], "scroll right", Scope::Service),
    define(Action::UndoEdit, "undo_edit", &["Ctrl-U"], "undo", Scope::Editor),
    define(Action::RedoEdit, "redo_edit", &["Ctrl-R"], "redo", Scope::Editor),
];

/// The definition of `action`.
pub fn definition(action: Action) -> &'static Definition {
    DEFINITIONS.iter().find(|d| d.action == action).expect("every action is defined")
}
