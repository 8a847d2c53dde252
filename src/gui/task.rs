//! Background work for the GUI: spawn an engine future on the tokio runtime and poll it each
//! frame without blocking. The worker asks for a repaint when it is done.

use std::time::Instant;

use tokio::sync::oneshot;

/// A value computed in the background: not asked for yet, on its way (keeping the previous value
/// on screen meanwhile), done, or cancelled.
#[derive(Default)]
pub enum Pending<T> {
    /// Nothing requested.
    #[default]
    NotYetRequested,
    /// Running; `previous` is what was shown before.
    Running {
        /// Receives the result.
        receiver: oneshot::Receiver<T>,
        /// Aborts the work.
        handle: tokio::task::JoinHandle<()>,
        /// When it started, for "Checking… (3 s)".
        started: Instant,
        /// The last completed value, shown greyed while the new one loads.
        previous: Option<T>,
    },
    /// Finished.
    Completed(T),
    /// Stopped by the user (with the value shown before, if any).
    Cancelled(Option<T>),
}

impl<T: Send + 'static> Pending<T> {
    /// Starts `work` on `runtime`; the previous value is kept while it runs.
    pub fn spawn<F>(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context, work: F)
    where
        F: std::future::Future<Output = T> + Send + 'static,
    {
        let previous = self.take_value();
        let (sender, receiver) = oneshot::channel();
        let ctx = ctx.clone();
        let handle = runtime.spawn(async move {
            let value = work.await;
            // The receiver is gone only if the user cancelled; nothing to do then.
            let _ = sender.send(value);
            ctx.request_repaint();
        });
        *self = Pending::Running {
            receiver,
            handle,
            started: Instant::now(),
            previous,
        };
    }

    /// Checks for a result without blocking. Call once per frame.
    pub fn poll(&mut self) {
        if let Pending::Running { receiver, .. } = self {
            match receiver.try_recv() {
                Ok(value) => *self = Pending::Completed(value),
                Err(oneshot::error::TryRecvError::Empty) => {}
                Err(oneshot::error::TryRecvError::Closed) => {
                    let previous = self.take_value();
                    *self = Pending::Cancelled(previous);
                }
            }
        }
    }

    /// Stops the work; the previous value stays available.
    pub fn cancel(&mut self) {
        if let Pending::Running { handle, .. } = self {
            handle.abort();
            let previous = self.take_value();
            *self = Pending::Cancelled(previous);
        }
    }

    /// Takes a finished value out, leaving nothing requested; `None` while running or idle.
    /// This is how a feature hands a one-shot result (a saved file, a command's outcome) on.
    pub fn take_completed(&mut self) -> Option<T> {
        if !matches!(self, Pending::Completed(_)) {
            return None;
        }
        match std::mem::take(self) {
            Pending::Completed(value) => Some(value),
            other => {
                *self = other;
                None
            }
        }
    }

    /// True while running.
    #[must_use]
    pub fn is_running(&self) -> bool {
        matches!(self, Pending::Running { .. })
    }

    /// Seconds since the work started, while running.
    #[must_use]
    pub fn running_secs(&self) -> Option<u64> {
        match self {
            Pending::Running { started, .. } => Some(started.elapsed().as_secs()),
            _ => None,
        }
    }

    /// The latest finished value (or the previous one while a new one runs).
    #[must_use]
    pub fn value(&self) -> Option<&T> {
        match self {
            Pending::Completed(v) => Some(v),
            Pending::Running { previous, .. } | Pending::Cancelled(previous) => previous.as_ref(),
            Pending::NotYetRequested => None,
        }
    }

    fn take_value(&mut self) -> Option<T> {
        match std::mem::replace(self, Pending::NotYetRequested) {
            Pending::Completed(v) => Some(v),
            Pending::Running {
                previous, handle, ..
            } => {
                handle.abort();
                previous
            }
            Pending::Cancelled(previous) => previous,
            Pending::NotYetRequested => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_completed_hands_a_finished_value_on_once_and_leaves_others_alone() {
        let mut done = Pending::Completed(7);
        assert_eq!(done.take_completed(), Some(7));
        assert!(matches!(done, Pending::NotYetRequested));
        assert_eq!(done.take_completed(), None);
        let mut cancelled: Pending<i32> = Pending::Cancelled(Some(3));
        assert_eq!(cancelled.take_completed(), None);
        assert_eq!(cancelled.value(), Some(&3), "a cancelled value stays shown");
    }
}
