// How the SQLite store keeps a message's raw bytes: as is, or as one zstd
// frame when that saves at least 10% (the messages.codec column says which;
// messages.raw_size keeps the original size so decoding allocates once and
// can check it got exactly the bytes that were stored).
//
// Thread-safety: an encoder or decoder holds a zstd context and scratch
// buffer; use one per thread (the store keeps one per connection).
#ifndef DRYPORT_STORE_RAW_CODEC_H_
#define DRYPORT_STORE_RAW_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace dryport::store::internal {

// Values are stored in the messages.codec column: never renumber.
enum class RawCodec : int64_t {
  kNone = 0,
  kZstd = 1,
};

// Compressed size must be at most this share of the original to be kept:
// below a 10% saving the CPU of decoding is not worth the bytes.
inline constexpr double kMinCompressionRatio = 0.9;

struct EncodedRaw {
  RawCodec codec = RawCodec::kNone;
  std::string_view bytes;  // points into the input or the encoder's buffer
};

class RawEncoder {
 public:
  // level: zstd level; compress=false always stores as is.
  RawEncoder(bool compress, int level);
  ~RawEncoder();
  RawEncoder(const RawEncoder&) = delete;
  RawEncoder& operator=(const RawEncoder&) = delete;

  // The view stays valid until the next Encode. Never fails: if zstd does,
  // the bytes are kept as is.
  EncodedRaw Encode(std::string_view raw);

 private:
  bool compress_;
  int level_;
  ZSTD_CCtx_s* cctx_ = nullptr;
  std::string buffer_;
};

class RawDecoder {
 public:
  RawDecoder();
  ~RawDecoder();
  RawDecoder(const RawDecoder&) = delete;
  RawDecoder& operator=(const RawDecoder&) = delete;

  // Writes the original bytes to *out. Corruption if the codec is unknown
  // or the stored bytes do not decode to exactly raw_size bytes.
  Status Decode(int64_t codec, std::string_view stored, int64_t raw_size, std::string* out);

 private:
  ZSTD_DCtx_s* dctx_ = nullptr;
};

}  // namespace dryport::store::internal

#endif  // DRYPORT_STORE_RAW_CODEC_H_
