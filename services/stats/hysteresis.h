// Alarm hysteresis: raise after k consecutive rejections, clear after k' acceptances.
//
// Purpose: repeated tests on overlapping windows are correlated; a single rejected frame
// should not page anyone. The alarm is raised after `raise_after` consecutive rejected
// frames and cleared after `clear_after` consecutive accepted frames.
//
// Usage:
//   df::stats::Hysteresis h(/*raise_after=*/3, /*clear_after=*/10);
//   bool alarm = h.Update(rejected);
//
// Thread-safety: not thread-safe (one owner). Failure: counts < 1 are a precondition
// violation (assert; clamped to 1 in release builds).
#ifndef DF_SERVICES_STATS_HYSTERESIS_H_
#define DF_SERVICES_STATS_HYSTERESIS_H_

namespace df::stats {

class Hysteresis {
 public:
  Hysteresis(int raise_after, int clear_after);  // both >= 1

  // Feeds one test outcome; returns the current alarm state.
  bool Update(bool rejected);
  bool alarm() const { return alarm_; }
  // Consecutive outcomes against the current state (rejections while clear, acceptances
  // while alarmed).
  int streak() const { return streak_; }
  void Reset();

 private:
  int raise_after_;
  int clear_after_;
  bool alarm_ = false;
  int streak_ = 0;
};

}  // namespace df::stats

#endif  // DF_SERVICES_STATS_HYSTERESIS_H_
