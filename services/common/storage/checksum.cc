#include "services/common/storage/checksum.h"

#include <zlib.h>

#include <algorithm>

namespace df::storage {

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed it at most 1 GiB at a time.
  while (!bytes.empty()) {
    const auto chunk = static_cast<uInt>(std::min<size_t>(bytes.size(), 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), chunk);
    bytes.remove_prefix(chunk);
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace df::storage
