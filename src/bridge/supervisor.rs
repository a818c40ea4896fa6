//! Supervision of the headless runtime: the Node process is started again
//! whenever it exits, crashes, runs out of memory, or the bridge ends it
//! (stuck in code that no interrupt reaches, or silent), with backoff when it
//! keeps dying young. Every process connects as the same runtime instance, so
//! the runtime keeps its id (sessions pinned to it follow it), and the bridge
//! replays the patch log to it before it takes evals.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tracing::{error, warn};

use super::Bridge;
use super::headless::{NodeProcess, NodeSpec, Scripts};
use super::lifeline::Lifeline;

/// A process that lived this long was healthy: the next restart is immediate.
const HEALTHY_RUN: Duration = Duration::from_secs(10);
/// The first quick death restarts at once; each further one waits twice as
/// long as the one before, from this, up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The running supervisor; `stop` (or dropping it) ends it and its process.
pub struct Supervisor {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// One process and its lifeline.
struct Incarnation {
    process: NodeProcess,
    lifeline: Arc<Lifeline>,
}

/// Starts the first Node runtime (failing if Node cannot be started at all)
/// and supervises it from then on.
pub fn start(bridge: Bridge, spec: NodeSpec) -> Result<Supervisor> {
    let scripts = Scripts::write()?;
    let instance = uuid::Uuid::new_v4().to_string();
    let first = spawn(&bridge, &spec, &scripts, &instance)?;
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(supervise(bridge, spec, scripts, instance, first, stopped));
    Ok(Supervisor {
        stop: Some(stop),
        task: Some(task),
    })
}

impl Supervisor {
    /// Stops restarting, kills the current process and waits until it is gone.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        // Without `stop`: the task is aborted and the process killed on drop.
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn supervise(
    bridge: Bridge,
    spec: NodeSpec,
    scripts: Scripts,
    instance: String,
    first: Incarnation,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut current = first;
    let mut backoff = Backoff::default();
    loop {
        let started = Instant::now();
        let why = tokio::select! {
            why = current.process.wait() => why,
            why = current.lifeline.end_requested() => {
                current.process.kill().await;
                format!("was ended because {why}")
            }
            _ = &mut stopped => {
                current.process.kill().await;
                bridge.process_ended(&current.lifeline, "was stopped with the server".into());
                return;
            }
        };
        warn!(
            pid = current.process.pid,
            "the headless Node runtime {why}; starting a new one"
        );
        bridge.process_ended(&current.lifeline, why);
        let mut delay = backoff.after(started.elapsed());
        current = loop {
            // Announced before the backoff, so that evals wait for it meanwhile.
            let lifeline = expect(&bridge, &instance);
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = &mut stopped => {
                    bridge.process_ended(&lifeline, "was not started again: the server is stopping".into());
                    return;
                }
            }
            match start_process(&bridge, &spec, &scripts, lifeline) {
                Ok(next) => break next,
                Err(problem) => {
                    error!("restarting the headless Node runtime failed: {problem:#}");
                    delay = backoff.after(Duration::ZERO);
                }
            }
        };
    }
}

/// Starts a process, telling the bridge a runtime is on its way (evals wait
/// for it rather than failing).
fn spawn(
    bridge: &Bridge,
    spec: &NodeSpec,
    scripts: &Scripts,
    instance: &str,
) -> Result<Incarnation> {
    start_process(bridge, spec, scripts, expect(bridge, instance))
}

/// A lifeline for the next process, announced to the bridge.
fn expect(bridge: &Bridge, instance: &str) -> Arc<Lifeline> {
    let lifeline = Arc::new(Lifeline::new(instance));
    bridge.expect_process(lifeline.clone());
    lifeline
}

fn start_process(
    bridge: &Bridge,
    spec: &NodeSpec,
    scripts: &Scripts,
    lifeline: Arc<Lifeline>,
) -> Result<Incarnation> {
    match NodeProcess::spawn(spec, scripts, &lifeline.instance) {
        Ok(process) => Ok(Incarnation { process, lifeline }),
        Err(problem) => {
            bridge.process_ended(&lifeline, format!("could not be started ({problem:#})"));
            Err(problem)
        }
    }
}

/// How long to wait before the next start.
#[derive(Default)]
struct Backoff {
    /// Processes in a row that died before `HEALTHY_RUN`.
    quick_deaths: u32,
}

impl Backoff {
    fn after(&mut self, lived: Duration) -> Duration {
        if lived >= HEALTHY_RUN {
            self.quick_deaths = 0;
        }
        self.quick_deaths += 1;
        match self.quick_deaths {
            1 => Duration::ZERO,
            n => FIRST_BACKOFF
                .saturating_mul(1 << (n - 2).min(16))
                .min(MAX_BACKOFF),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_at_once_then_backs_off_while_it_keeps_dying_young() {
        let mut backoff = Backoff::default();
        let young = Duration::from_millis(100);
        let delays: Vec<u128> = (0..9).map(|_| backoff.after(young).as_millis()).collect();
        assert_eq!(delays, [0, 250, 500, 1000, 2000, 4000, 8000, 16000, 30000]);
        assert_eq!(backoff.after(young), MAX_BACKOFF);
        assert_eq!(backoff.after(Duration::from_secs(60)), Duration::ZERO);
    }
}
