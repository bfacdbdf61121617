// GroupCommitWriter: many producers, one writer thread, one transaction per
// group (leveldb's DBImpl::Write / BuildBatchGroup, with a dedicated thread
// instead of a leader chosen among the callers).
//
// Why it pays: with synchronous=FULL every COMMIT costs an fsync of the WAL
// (~0.3 ms on the build VM, far more on a loaded disk). One message per
// transaction caps ingest at a few thousand messages/s; merging everything
// queued while the previous commit was running spreads one fsync over
// hundreds of messages (docs/store.md has the figures).
//
// Why no submission is acknowledged early: a future is completed only after
// the Apply containing its batch returned, and Apply returns OK only after
// COMMIT (and so the fsync) succeeded.
#include <algorithm>
#include <cassert>
#include <condition_variable>
#include <deque>
#include <iterator>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "store/store.h"

namespace dryport::store {
namespace {

using Clock = std::chrono::steady_clock;

// Failures remembered for Flush; older ones are forgotten (their futures
// reported them).
constexpr size_t kMaxRememberedFailures = 1024;

// How much of a group's budget a submission takes: its messages, and at
// least 1 so that message-less batches (events, receipts) are bounded too.
size_t Weight(const Batch& b) { return std::max<size_t>(1, b.messages.size()); }

struct Sizes {
  size_t messages = 0, keys = 0, documents = 0, events = 0, receipts = 0, counters = 0;

  Sizes& operator+=(const Sizes& o) {
    messages += o.messages;
    keys += o.keys;
    documents += o.documents;
    events += o.events;
    receipts += o.receipts;
    counters += o.counters;
    return *this;
  }
};

Sizes SizesOf(const Batch& b) {
  return {b.messages.size(), b.keys.size(),     b.documents.size(),
          b.events.size(),   b.receipts.size(), b.counters.size()};
}

template <typename T>
std::vector<T> Take(std::vector<T>& from, size_t begin, size_t n) {
  const auto first = from.begin() + static_cast<std::ptrdiff_t>(begin);
  return std::vector<T>(std::make_move_iterator(first),
                        std::make_move_iterator(first + static_cast<std::ptrdiff_t>(n)));
}

// The rows of one submission, moved back out of a merged batch.
Batch Slice(Batch& merged, const Sizes& at, const Sizes& n) {
  Batch b;
  b.messages = Take(merged.messages, at.messages, n.messages);
  b.keys = Take(merged.keys, at.keys, n.keys);
  b.documents = Take(merged.documents, at.documents, n.documents);
  b.events = Take(merged.events, at.events, n.events);
  b.receipts = Take(merged.receipts, at.receipts, n.receipts);
  b.counters = Take(merged.counters, at.counters, n.counters);
  return b;
}

template <typename T>
void Reserve(std::vector<T>& v, size_t n) {
  v.reserve(n);
}

// Errors that one batch's content can cause. Only then is a failed group
// retried batch by batch; an I/O error or a lock timeout would just repeat
// for every batch (each waiting busy_timeout again).
bool CausedByContent(const Status& s) {
  return s.code() == StatusCode::kAlreadyExists || s.code() == StatusCode::kInvalidArgument;
}

}  // namespace

struct GroupCommitWriter::Impl {
  struct Pending {
    Batch batch;
    std::promise<Status> done;
    uint64_t ticket = 0;  // submission order, from 1
    Clock::time_point enqueued;
  };

  Impl(Store& s, GroupCommitOptions o) : store(s), options(o) {}

  void Run();
  std::vector<Status> ApplyGroup(std::vector<Pending>& group);

  Store& store;
  const GroupCommitOptions options;

  mutable std::mutex mu;
  std::condition_variable work_cv;  // the writer waits for work, a Flush or the stop
  std::condition_variable done_cv;  // Flush waits for a group to complete
  // Everything below is guarded by mu.
  std::deque<Pending> queue;
  size_t queued_weight = 0;
  uint64_t last_ticket = 0;        // the newest submission
  uint64_t completed_through = 0;  // every submission up to this ticket has completed
  uint64_t flush_floor = 0;        // the target of the previous Flush call
  int flushers = 0;                // Flush calls waiting: the writer stops waiting for company
  bool stopping = false;
  std::deque<std::pair<uint64_t, Status>> failures;  // (ticket, status), oldest first
  Stats stats;

  std::thread thread;  // started last, joined first
};

void GroupCommitWriter::Impl::Run() {
  std::unique_lock lock(mu);
  while (true) {
    work_cv.wait(lock, [this] { return stopping || !queue.empty(); });
    if (queue.empty()) return;  // stopping, and everything is applied

    // Let the group fill while the oldest submission is younger than
    // max_delay. Under load the queue filled during the previous commit and
    // the deadline has passed already, so nobody waits.
    const Clock::time_point deadline = queue.front().enqueued + options.max_delay;
    while (!stopping && flushers == 0 && queued_weight < options.max_group_messages &&
           Clock::now() < deadline) {
      work_cv.wait_until(lock, deadline);
    }

    std::vector<Pending> group;
    size_t weight = 0;
    while (!queue.empty()) {
      const size_t w = Weight(queue.front().batch);
      if (!group.empty() && weight + w > options.max_group_messages) break;
      weight += w;
      group.push_back(std::move(queue.front()));
      queue.pop_front();
    }
    queued_weight -= weight;
    lock.unlock();

    uint64_t messages = 0;
    for (const Pending& p : group) messages += p.batch.messages.size();
    std::vector<Status> results = ApplyGroup(group);
    for (size_t i = 0; i < group.size(); ++i) group[i].done.set_value(results[i]);

    lock.lock();
    stats.groups += 1;
    stats.batches += group.size();
    stats.messages += messages;
    completed_through = group.back().ticket;
    for (size_t i = 0; i < group.size(); ++i) {
      if (results[i].ok()) continue;
      failures.emplace_back(group[i].ticket, std::move(results[i]));
      if (failures.size() > kMaxRememberedFailures) failures.pop_front();
    }
    done_cv.notify_all();
  }
}

std::vector<Status> GroupCommitWriter::Impl::ApplyGroup(std::vector<Pending>& group) {
  if (group.size() == 1) return {store.Apply(group.front().batch)};

  std::vector<Sizes> sizes;
  sizes.reserve(group.size());
  Sizes total;
  for (const Pending& p : group) {
    sizes.push_back(SizesOf(p.batch));
    total += sizes.back();
  }
  // The first batch's vectors are adopted, then grown once to the total.
  Batch merged = std::move(group.front().batch);
  Reserve(merged.messages, total.messages);
  Reserve(merged.keys, total.keys);
  Reserve(merged.documents, total.documents);
  Reserve(merged.events, total.events);
  Reserve(merged.receipts, total.receipts);
  Reserve(merged.counters, total.counters);
  for (size_t i = 1; i < group.size(); ++i) merged.Append(std::move(group[i].batch));

  Status s = store.Apply(merged);
  if (s.ok() || !CausedByContent(s)) return std::vector<Status>(group.size(), s);

  // Nothing of the group was kept. Apply each submission alone so that only
  // the offending one fails.
  std::vector<Status> results;
  results.reserve(group.size());
  Sizes at;
  for (const Sizes& n : sizes) {
    Batch one = Slice(merged, at, n);
    at += n;
    results.push_back(store.Apply(one));
  }
  return results;
}

GroupCommitWriter::GroupCommitWriter(Store& store, GroupCommitOptions options)
    : impl_(std::make_unique<Impl>(store, options)) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->work_cv.notify_one();
  impl_->thread.join();
}

std::future<Status> GroupCommitWriter::Submit(Batch batch) {
  std::promise<Status> done;
  std::future<Status> future = done.get_future();
  const size_t w = Weight(batch);
  bool wake;
  {
    std::lock_guard lock(impl_->mu);
    assert(!impl_->stopping && "Submit during ~GroupCommitWriter");
    const size_t max = impl_->options.max_group_messages;
    // Wake the writer when it may be idle (empty queue) or when a full group
    // is ready; otherwise it is busy committing or waiting for its deadline.
    wake = impl_->queue.empty() || (impl_->queued_weight < max && impl_->queued_weight + w >= max);
    impl_->queued_weight += w;
    impl_->queue.push_back(
        Impl::Pending{std::move(batch), std::move(done), ++impl_->last_ticket, Clock::now()});
  }
  if (wake) impl_->work_cv.notify_one();
  return future;
}

Status GroupCommitWriter::Flush() {
  std::unique_lock lock(impl_->mu);
  const uint64_t target = impl_->last_ticket;
  const uint64_t floor = impl_->flush_floor;
  impl_->flush_floor = std::max(impl_->flush_floor, target);
  if (impl_->completed_through < target) {
    ++impl_->flushers;
    impl_->work_cv.notify_one();
    impl_->done_cv.wait(lock, [&] { return impl_->completed_through >= target; });
    --impl_->flushers;
  }
  for (auto it = impl_->failures.rbegin(); it != impl_->failures.rend(); ++it) {
    if (it->first <= target && it->first > floor) return it->second;
  }
  return Status::Ok();
}

GroupCommitWriter::Stats GroupCommitWriter::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

}  // namespace dryport::store
