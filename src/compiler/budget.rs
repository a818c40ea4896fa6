//! A budget for reading and compiling one top-level form: how long it may take
//! and how much memory it may hold. Nothing else stops a form whose expansion
//! explodes (each level of nested syntax-quote is about 5x the last), and the
//! compiler cannot be interrupted from outside, so it checks the budget
//! itself, at its progress points (every form analyzed, every form read or
//! syntax-quoted): `check` is cheap, looking at the clock only every so often.
//!
//! The budget belongs to the thread that compiles (set with `run`, in force
//! until it returns). Memory is what this thread allocated and did not free
//! since `run` began, as counted by [`MeteredAllocator`], the program's global
//! allocator. A budget can also be a *time slice* (`Budget::slice`): past it,
//! `check` says `Yield`, which `shared.rs` uses to move a long compile off the
//! compiler everyone shares.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// How long a compile may take and how much memory it may hold.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub time: Duration,
    pub memory: usize,
    /// Past `time`, the compile is to yield (try again elsewhere), not fail.
    pub slice: bool,
}

impl Budget {
    /// A budget whose end means "yield", not "fail": a time slice.
    pub fn slice(time: Duration) -> Budget {
        Budget {
            time,
            memory: usize::MAX,
            slice: true,
        }
    }
}

/// What ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    /// The time (`--compile-timeout`), given.
    Time(Duration),
    /// The memory (`--compile-memory-mb`), in bytes.
    Memory(usize),
    /// A time slice ended (not an error: the caller tries again elsewhere).
    Yield,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            Exceeded::Time(limit) => format!(
                "took longer than {} s (--compile-timeout)",
                limit.as_secs_f64()
            ),
            Exceeded::Memory(limit) => format!(
                "needed more than {} MiB (--compile-memory-mb)",
                limit / (1024 * 1024)
            ),
            Exceeded::Yield => return f.write_str("the compiler's time slice ended"),
        };
        write!(
            f,
            "Compiling this form {what}: it is too big, or expands into something too big (each level of nested syntax-quote is about 5 times the size of the one inside it)"
        )
    }
}

/// The budget in force on a thread, and where it stands.
#[derive(Clone, Copy)]
struct Active {
    budget: Budget,
    deadline: Instant,
    /// `ALLOCATED` when the budget began.
    allocated_at_start: isize,
    /// Checks left until the clock is looked at again.
    until_clock: u32,
    /// A time slice that ended: `check` said `Yield`.
    yielded: bool,
}

/// Checks between two looks at the clock.
const CHECKS_PER_CLOCK: u32 = 64;

thread_local! {
    /// Bytes this thread allocated less those it freed, since it started.
    static ALLOCATED: Cell<isize> = const { Cell::new(0) };
    static ACTIVE: Cell<Option<Active>> = const { Cell::new(None) };
}

/// Runs `f` with `budget` in force on this thread (the one before is restored after).
pub fn run<T>(budget: Budget, f: impl FnOnce() -> T) -> T {
    let active = Active {
        budget,
        deadline: Instant::now()
            .checked_add(budget.time)
            .unwrap_or_else(far_future),
        allocated_at_start: allocated(),
        until_clock: CHECKS_PER_CLOCK,
        yielded: false,
    };
    let outer = ACTIVE.with(|cell| cell.replace(Some(active)));
    struct Restore(Option<Active>);
    impl Drop for Restore {
        fn drop(&mut self) {
            ACTIVE.with(|cell| cell.set(self.0));
        }
    }
    let _restore = Restore(outer);
    f()
}

/// Runs `f` in a time slice of `time`: its result, or `None` if the slice
/// ended first (`f` saw `Exceeded::Yield` from `check`).
pub fn run_slice<T>(time: Duration, f: impl FnOnce() -> T) -> Option<T> {
    run(Budget::slice(time), || {
        let result = f();
        let yielded = ACTIVE.with(|cell| cell.get().is_some_and(|active| active.yielded));
        (!yielded).then_some(result)
    })
}

/// Runs `f` (a user macro, on the runtime) without counting its time against
/// a budget: macros are user code, interruptible and under the eval timeout.
/// A time slice keeps counting, so that a slow macro moves the compile off
/// the shared compiler.
pub fn not_counting_time<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    let spent = started.elapsed();
    ACTIVE.with(|cell| {
        if let Some(mut active) = cell.get()
            && !active.budget.slice
        {
            active.deadline = active
                .deadline
                .checked_add(spent)
                .unwrap_or_else(far_future);
            cell.set(Some(active));
        }
    });
    result
}

/// Runs `f` (loading a required namespace: compiling its files and running
/// their code) with no budget in force, as loading is not this form's compile.
/// A time slice in force is then over for good: what was loaded must not be
/// loaded again elsewhere, so the compile finishes where it is.
pub fn without_budget<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let allocated_before = allocated();
    let outer = ACTIVE.with(|cell| cell.replace(None));
    let result = f();
    let spent = started.elapsed();
    let loaded = allocated().wrapping_sub(allocated_before);
    let resumed = outer.map(|mut active| {
        if active.budget.slice {
            active.budget.slice = false;
            active.deadline = far_future();
        } else {
            active.deadline = active
                .deadline
                .checked_add(spent)
                .unwrap_or_else(far_future);
        }
        // What the load keeps (the namespaces it made) is not the form's.
        active.allocated_at_start = active.allocated_at_start.wrapping_add(loaded);
        active
    });
    ACTIVE.with(|cell| cell.set(resumed));
    result
}

/// Whether the compile in progress on this thread is still within its budget.
pub fn check() -> Result<(), Exceeded> {
    ACTIVE.with(|cell| {
        let Some(mut active) = cell.get() else {
            return Ok(());
        };
        let held = allocated().saturating_sub(active.allocated_at_start);
        if usize::try_from(held).is_ok_and(|held| held > active.budget.memory) {
            return Err(Exceeded::Memory(active.budget.memory));
        }
        active.until_clock -= 1;
        if active.until_clock > 0 {
            cell.set(Some(active));
            return Ok(());
        }
        active.until_clock = CHECKS_PER_CLOCK;
        cell.set(Some(active));
        if Instant::now() < active.deadline {
            Ok(())
        } else if active.budget.slice {
            active.yielded = true;
            cell.set(Some(active));
            Err(Exceeded::Yield)
        } else {
            Err(Exceeded::Time(active.budget.time))
        }
    })
}

fn allocated() -> isize {
    ALLOCATED.try_with(Cell::get).unwrap_or(0)
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(365 * 24 * 3600)
}

fn count(delta: isize) {
    // `try_with`: an allocation while the thread's locals are torn down is not counted.
    let _ = ALLOCATED.try_with(|cell| cell.set(cell.get().wrapping_add(delta)));
}

/// The system allocator, counting each thread's live bytes for `check`.
pub struct MeteredAllocator;

// SAFETY: every call is passed to `System` unchanged; the counting only
// touches a thread-local `Cell`, which neither allocates nor unwinds.
unsafe impl GlobalAlloc for MeteredAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: as the caller promised for `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        // SAFETY: as the caller promised for `ptr`, `layout` and `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spin_until_exceeded() -> Exceeded {
        loop {
            if let Err(exceeded) = check() {
                return exceeded;
            }
        }
    }

    #[test]
    fn a_load_is_not_counted_and_ends_a_time_slice_for_good() {
        let slice = Budget::slice(Duration::from_millis(5));
        let ended = run(slice, || {
            without_budget(|| {
                assert!(ACTIVE.with(Cell::get).is_none(), "no budget while loading");
                std::thread::sleep(Duration::from_millis(20));
            });
            check()
        });
        assert_eq!(ended, Ok(()), "the slice does not yield after a load");
        let small = Budget {
            time: Duration::from_secs(60),
            memory: 1 << 20,
            slice: false,
        };
        let kept = run(small, || {
            let loaded = without_budget(|| vec![0u8; 4 << 20]);
            (0..CHECKS_PER_CLOCK)
                .map(|_| check())
                .collect::<Result<Vec<_>, _>>()
                .map(|_| loaded.len())
        });
        assert_eq!(kept, Ok(4 << 20), "what a load allocated is not the form's");
    }

    #[test]
    fn time_and_memory_run_out_and_slices_yield() {
        let short = Budget {
            time: Duration::from_millis(5),
            memory: usize::MAX,
            slice: false,
        };
        assert_eq!(
            run(short, spin_until_exceeded),
            Exceeded::Time(Duration::from_millis(5))
        );
        let slice = Budget::slice(Duration::from_millis(5));
        assert_eq!(run(slice, spin_until_exceeded), Exceeded::Yield);
        assert_eq!(
            run_slice(Duration::from_millis(5), spin_until_exceeded),
            None
        );
        assert_eq!(run_slice(Duration::from_secs(60), || 7), Some(7));
        let small = Budget {
            time: Duration::from_secs(60),
            memory: 1 << 20,
            slice: false,
        };
        let exceeded = run(small, || {
            let held = vec![1u8; 2 << 20];
            let exceeded = check();
            drop(held);
            exceeded
        });
        assert_eq!(exceeded, Err(Exceeded::Memory(1 << 20)));
        assert_eq!(check(), Ok(()), "no budget outside `run`");
    }

    #[test]
    fn macro_time_does_not_count_against_a_budget() {
        let budget = Budget {
            time: Duration::from_millis(50),
            memory: usize::MAX,
            slice: false,
        };
        run(budget, || {
            not_counting_time(|| std::thread::sleep(Duration::from_millis(100)));
            for _ in 0..CHECKS_PER_CLOCK {
                assert_eq!(check(), Ok(()));
            }
        });
    }
}
