//! The practice lab: its server started on the worker, the trainee's case (answers shuffled for
//! each run), and the class's results: a done mark and a score per case, and a summary a trainer
//! can copy.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::engine::Code;
use crate::gui::state::Trainee;
use crate::gui::task::Pending;
use crate::lab::{self, Lab};

/// How a case went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's title.
    pub title: String,
    /// Wrong answers before the right one (or before the answer was shown).
    pub wrong_tries: u32,
    /// Answered right (false: the answer was shown).
    pub solved: bool,
}

impl CaseResult {
    /// The done mark and how it went, in a few words.
    #[must_use]
    pub fn mark(&self) -> String {
        match (self.solved, self.wrong_tries) {
            (true, 0) => "✔ right on the first try".to_owned(),
            (true, 1) => "✔ right on the second try".to_owned(),
            (true, n) => format!("✔ right after {} tries", n + 1),
            (false, _) => "✖ answer shown".to_owned(),
        }
    }
}

/// The lab (once started), the case being practised, and the results so far.
#[derive(Default)]
pub struct Practice {
    /// The lab's server, or why it could not start.
    pub lab: Pending<Result<Arc<Lab>, String>>,
    /// The trainee's scenario and answer, in practice mode.
    pub trainee: Option<Trainee>,
    /// Each finished case's result, by its number.
    pub results: BTreeMap<usize, CaseResult>,
}

impl Practice {
    /// Starts the lab on the worker (once).
    pub fn start(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context) {
        if matches!(self.lab.value(), Some(Ok(_))) || self.lab.is_running() {
            return;
        }
        self.lab.spawn(runtime, ctx, async {
            Lab::start(0).await.map(Arc::new).map_err(|e| e.to_string())
        });
    }

    /// The running lab, if it started.
    #[must_use]
    pub fn running_lab(&self) -> Option<&Arc<Lab>> {
        match self.lab.value() {
            Some(Ok(lab)) => Some(lab),
            _ => None,
        }
    }

    /// Takes the started lab in (the start page shows it, or why it could not start).
    pub fn poll(&mut self) {
        self.lab.poll();
    }

    /// Begins the case `id` with its answers in an order of this run (`seed`).
    pub fn begin(&mut self, id: &str, seed: u64) -> Option<&Trainee> {
        let lab = self.running_lab()?;
        let (index, scenario) = lab.scenarios.iter().enumerate().find(|(_, s)| s.id == id)?;
        let trainee = Trainee {
            choices: lab::shuffled(&scenario.choices, seed),
            scenario: scenario.clone(),
            number: index + 1,
            answer: None,
            wrong_tries: 0,
            revealed: false,
        };
        self.trainee = Some(trainee);
        self.trainee.as_ref()
    }

    /// The trainee's answer; a right one finishes the case.
    pub fn answer(&mut self, code: Code) {
        let Some(t) = &mut self.trainee else { return };
        if t.is_finished() {
            return;
        }
        t.answer = Some(code);
        if t.is_right() {
            self.results.insert(
                t.number,
                CaseResult {
                    title: t.scenario.title.clone(),
                    wrong_tries: t.wrong_tries,
                    solved: true,
                },
            );
        } else {
            t.wrong_tries += 1;
        }
    }

    /// After a wrong answer: answer again, the choices in a new order.
    pub fn retry(&mut self, seed: u64) {
        if let Some(t) = &mut self.trainee
            && !t.is_finished()
        {
            t.answer = None;
            t.choices = lab::shuffled(&t.scenario.choices, seed);
        }
    }

    /// Shows the answer (the case counts as not solved).
    pub fn reveal(&mut self) {
        let Some(t) = &mut self.trainee else { return };
        if t.is_finished() {
            return;
        }
        t.revealed = true;
        self.results.insert(
            t.number,
            CaseResult {
                title: t.scenario.title.clone(),
                wrong_tries: t.wrong_tries,
                solved: false,
            },
        );
    }

    /// The id of the case after the current one, if there is one.
    #[must_use]
    pub fn next_case(&self) -> Option<String> {
        let number = self.trainee.as_ref()?.number;
        let lab = self.running_lab()?;
        lab.scenarios.get(number).map(|s| s.id.clone())
    }

    /// (right on the first try, cases done, cases in the lab).
    #[must_use]
    pub fn score(&self) -> (usize, usize, usize) {
        let total = self.running_lab().map_or(0, |l| l.scenarios.len());
        let first = self
            .results
            .values()
            .filter(|r| r.solved && r.wrong_tries == 0)
            .count();
        (first, self.results.len(), total)
    }

    /// The class's results as plain text, for a trainer to paste.
    #[must_use]
    pub fn summary(&self) -> String {
        let (first, done, total) = self.score();
        let solved = self.results.values().filter(|r| r.solved).count();
        let mut out = String::from("AuthDoctor practice lab: results\n");
        let _ = writeln!(
            out,
            "Cases done: {done} of {total}. Found the cause: {solved}. Right on the first try: {first}.\n"
        );
        if let Some(lab) = self.running_lab() {
            for (i, s) in lab.scenarios.iter().enumerate() {
                let how = self
                    .results
                    .get(&(i + 1))
                    .map_or_else(|| "not done".to_owned(), CaseResult::mark);
                let _ = writeln!(out, "{:>2}. {}: {how}", i + 1, s.title);
            }
        }
        out
    }
}

/// A seed for shuffling the answers: different on every run and every case.
#[must_use]
pub fn fresh_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0x5eed, |d| d.as_nanos() as u64)
}
