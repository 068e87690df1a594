// Stopping a run early on a signal (issue 19). `canonsim run` installs the handlers: the first
// SIGINT or SIGTERM asks the run to stop at the simulated time it has reached (the engines poll
// StopRequested() between slices of simulated time, RunOptions::stopOnSignal), write a complete
// trace marked as interrupted, print the summary so far and exit non-zero; a second one aborts
// at once (the default action: the trace stays a `.partial`, never a file that looks whole).
//
// The handler only sets a flag (async-signal-safe); everything else happens on the run's thread.
#ifndef CANONSIM_SCENARIOS_RUN_STOP_H
#define CANONSIM_SCENARIOS_RUN_STOP_H

namespace canon
{

// The first signal requests the stop; the handler then restores the default action, so the
// second one ends the process. Also ignores SIGXFSZ (a file-size limit then fails the trace's
// writes, which end the run with an error, instead of killing it).
void InstallStopSignals();
bool StopRequested();
// The signal that asked for the stop (0: none).
int StopSignal();

// How often the engines look at the flag, in simulated seconds: a tenth of the default slot,
// so a stop lands within a slot of the request.
constexpr double kStopPollSeconds = 0.1;

} // namespace canon

#endif
