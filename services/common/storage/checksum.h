// Checksums of stored records: the CRC-32 of zlib (the polynomial of gzip and PNG).
//
// A record's checksum is what turns a stray write or a bad sector inside it into a
// reported error instead of silently wrong data. CRC-32 detects every burst of up to
// 32 damaged bits and every single damaged byte; it is not a defence against a
// deliberate forgery.
//
// Usage:
//   const uint32_t crc = df::storage::Crc32(payload);
//   if (df::storage::Crc32(read_back) != crc) return absl::DataLossError("...");
//
// Thread-safety: pure function. Failure: none (any length, chunked for zlib's uInt).
#ifndef DATA_FACTORY_SERVICES_COMMON_STORAGE_CHECKSUM_H_
#define DATA_FACTORY_SERVICES_COMMON_STORAGE_CHECKSUM_H_

#include <cstdint>
#include <string_view>

namespace df::storage {

[[nodiscard]] uint32_t Crc32(std::string_view bytes);

}  // namespace df::storage

#endif  // DATA_FACTORY_SERVICES_COMMON_STORAGE_CHECKSUM_H_
