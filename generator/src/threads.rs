//! The threads generation runs on: one with a deep stack for the pipeline, a pool of workers
//! for the stages that work in parallel, and one that computes a value beside the others. Each
//! falls back to the calling thread when no thread can be started.

/// The stack of every generation thread: deeply nested specs recurse deeply.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Runs `f` on a thread of its own with a deep stack (on this thread if none can be started);
/// `None` if it panicked.
pub fn on_deep_stack<R: Send>(f: impl Fn() -> R + Sync) -> Option<R> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("sdkgen".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, &f);
        match worker {
            Ok(handle) => handle.join().ok(),
            Err(_) => Some(f()),
        }
    })
}

/// The threads that lower chunks of the spec, name members, and emit and format files: one per
/// core (or `RAYON_NUM_THREADS`), with the same deep stack. `None` if no thread can be
/// started: the calling thread then does the work.
pub fn worker_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("sdkgen-worker-{i}"))
        .stack_size(STACK_SIZE)
        .build()
        .ok()
}

/// A value being computed on a thread of its own.
pub enum Pending<T> {
    Computing(std::thread::JoinHandle<Option<T>>),
    Ready(T),
}

impl<T> Pending<T> {
    /// The value, once computed; `None` if its thread panicked.
    pub fn wait(self) -> Option<T> {
        match self {
            Pending::Computing(handle) => handle.join().ok().flatten(),
            Pending::Ready(value) => Some(value),
        }
    }
}

/// Starts computing `f(input)` on a thread of its own, which consumes `input` there (dropping a
/// large value is work too). Without a thread, `f` runs now, on this one.
pub fn beside<I: Send + 'static, T: Send + 'static>(input: I, f: fn(I) -> T) -> Pending<T> {
    // The input goes over a channel once the thread runs: a thread that fails to start would
    // otherwise take it along.
    let (send, receive) = std::sync::mpsc::channel::<I>();
    let worker = std::thread::Builder::new()
        .name("sdkgen-beside".to_owned())
        .stack_size(STACK_SIZE)
        .spawn(move || receive.recv().ok().map(f));
    match worker {
        Ok(handle) => match send.send(input) {
            Ok(()) => Pending::Computing(handle),
            Err(unsent) => Pending::Ready(f(unsent.0)),
        },
        Err(_) => Pending::Ready(f(input)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_computed_beside_reaches_the_work() {
        let doubled = beside(vec![1, 2, 3], |v: Vec<i32>| v.iter().sum::<i32>() * 2);
        assert_eq!(doubled.wait(), Some(12));
    }

    #[test]
    fn a_panic_on_the_deep_stack_is_none() {
        assert_eq!(on_deep_stack(|| 7), Some(7));
        assert_eq!(
            on_deep_stack(|| -> u8 { panic!("a panic the test expects") }),
            None
        );
    }
}
