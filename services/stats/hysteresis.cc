#include "services/stats/hysteresis.h"

#include <algorithm>
#include <cassert>

namespace df::stats {

Hysteresis::Hysteresis(int raise_after, int clear_after)
    : raise_after_(std::max(raise_after, 1)), clear_after_(std::max(clear_after, 1)) {
  assert(raise_after >= 1 && clear_after >= 1);
}

bool Hysteresis::Update(bool rejected) {
  // streak_ counts consecutive outcomes that argue for flipping the current state.
  if (rejected != alarm_) {
    ++streak_;
    if (streak_ >= (alarm_ ? clear_after_ : raise_after_)) {
      alarm_ = !alarm_;
      streak_ = 0;
    }
  } else {
    streak_ = 0;
  }
  return alarm_;
}

void Hysteresis::Reset() {
  alarm_ = false;
  streak_ = 0;
}

}  // namespace df::stats
