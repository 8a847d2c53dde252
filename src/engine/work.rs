//! A count of the work the parsers of outside input do (bytes and items looked at), kept only in
//! test builds: tests show that reading stays linear in the input's size by counting, never by a
//! clock, so a busy machine cannot fail them. Timings live in `benches/` and `scripts/bench.sh`.

#[cfg(test)]
thread_local! {
    static UNITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Adds `units` of work (one per byte or item looked at). Does nothing outside tests.
#[inline]
pub(crate) fn add(units: usize) {
    #[cfg(test)]
    UNITS.with(|count| count.set(count.get().saturating_add(units as u64)));
    #[cfg(not(test))]
    let _ = units;
}

/// Runs `f` and returns its result with the work it counted (on this thread).
#[cfg(test)]
pub(crate) fn measure<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = UNITS.with(std::cell::Cell::get);
    let value = f();
    let after = UNITS.with(std::cell::Cell::get);
    (value, after - before)
}
