#include "store/raw_codec.h"

#include <fmt/format.h>
#include <zstd.h>

namespace dryport::store::internal {
namespace {

// SQLite's own limit on a BLOB (SQLITE_MAX_LENGTH); a larger raw_size can
// only come from a damaged row, and must not drive an allocation.
constexpr int64_t kMaxRawSize = 1'000'000'000;

}  // namespace

RawEncoder::RawEncoder(bool compress, int level) : compress_(compress), level_(level) {
  if (compress_) cctx_ = ZSTD_createCCtx();
  // Without a context (out of memory) the encoder stores bytes as is.
}

RawEncoder::~RawEncoder() { ZSTD_freeCCtx(cctx_); }

EncodedRaw RawEncoder::Encode(std::string_view raw) {
  if (cctx_ == nullptr || raw.empty()) return {RawCodec::kNone, raw};
  const size_t limit = static_cast<size_t>(static_cast<double>(raw.size()) * kMinCompressionRatio);
  // A buffer of compressBound lets zstd take its fastest path; it is reused.
  const size_t bound = ZSTD_compressBound(raw.size());
  if (ZSTD_isError(bound)) return {RawCodec::kNone, raw};
  if (buffer_.size() < bound) buffer_.resize(bound);
  const size_t n =
      ZSTD_compressCCtx(cctx_, buffer_.data(), buffer_.size(), raw.data(), raw.size(), level_);
  if (ZSTD_isError(n) || n > limit) return {RawCodec::kNone, raw};
  return {RawCodec::kZstd, std::string_view(buffer_.data(), n)};
}

RawDecoder::RawDecoder() : dctx_(ZSTD_createDCtx()) {}

RawDecoder::~RawDecoder() { ZSTD_freeDCtx(dctx_); }

Status RawDecoder::Decode(int64_t codec, std::string_view stored, int64_t raw_size,
                          std::string* out) {
  if (raw_size < 0 || raw_size > kMaxRawSize) {
    return Status::Corruption(fmt::format("raw_size {} is out of range", raw_size));
  }
  switch (static_cast<RawCodec>(codec)) {
    case RawCodec::kNone:
      if (static_cast<int64_t>(stored.size()) != raw_size) {
        return Status::Corruption(
            fmt::format("{} raw bytes stored, raw_size says {}", stored.size(), raw_size));
      }
      out->assign(stored);
      return Status::Ok();
    case RawCodec::kZstd: {
      if (dctx_ == nullptr) {
        return Status::Internal("no zstd decompression context (out of memory)");
      }
      out->resize(static_cast<size_t>(raw_size));
      const size_t n =
          ZSTD_decompressDCtx(dctx_, out->data(), out->size(), stored.data(), stored.size());
      if (ZSTD_isError(n)) {
        out->clear();
        return Status::Corruption(fmt::format("zstd: {}", ZSTD_getErrorName(n)));
      }
      if (static_cast<int64_t>(n) != raw_size) {
        out->clear();
        return Status::Corruption(
            fmt::format("zstd frame holds {} bytes, raw_size says {}", n, raw_size));
      }
      return Status::Ok();
    }
  }
  return Status::Corruption(fmt::format("unknown raw codec {}", codec));
}

}  // namespace dryport::store::internal
