// Helpers shared by the store tests and the store benchmark.
#ifndef DRYPORT_TESTS_STORE_TEST_UTIL_H_
#define DRYPORT_TESTS_STORE_TEST_UTIL_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "store/store.h"

namespace dryport::store::test {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A CEB311Message (one order, three goods lines, BaseTransfer) of about
// 3 KB, its values drawn deterministically from n: the same n gives the same
// bytes. Mixed ASCII and Chinese UTF-8 like real traffic; zstd compresses it
// to roughly 40%.
std::string OrderXml(int64_t n);

// One message as the engine would store it: the message (guid "G<seq>",
// raw OrderXml(seq)), two keys (orderNo "O<seq>", logisticsNo "L<seq>"),
// the order document, one event, one receipt and one counter — everything
// derived from seq so a reader can check it.
Batch MessageBatch(int64_t seq);
// The raw bytes MessageBatch(seq) stores.
std::string MessageRaw(int64_t seq);

}  // namespace dryport::store::test

#endif  // DRYPORT_TESTS_STORE_TEST_UTIL_H_
