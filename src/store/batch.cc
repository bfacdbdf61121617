#include <iterator>

#include "store/store.h"

namespace dryport::store {
namespace {

template <typename T>
void MoveAppend(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    // The first batch of a group is adopted whole, without moving its rows.
    to = std::move(from);
  } else {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }
  from.clear();
}

}  // namespace

bool Batch::empty() const {
  return messages.empty() && keys.empty() && documents.empty() && events.empty() &&
         receipts.empty() && counters.empty();
}

void Batch::Append(Batch&& other) {
  MoveAppend(messages, other.messages);
  MoveAppend(keys, other.keys);
  MoveAppend(documents, other.documents);
  MoveAppend(events, other.events);
  MoveAppend(receipts, other.receipts);
  MoveAppend(counters, other.counters);
}

}  // namespace dryport::store
