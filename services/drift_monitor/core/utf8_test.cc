#include "services/drift_monitor/core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace df::drift {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("door-17"));
  EXPECT_TRUE(IsValidUtf8("Z\xC3\xBCrich"));                 // ü
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));                  // €
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x93\xB7"));              // 📷
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF\xF4\x8F\xBF\xBF"));  // U+FFFF, U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));          // NUL is valid UTF-8
}

TEST(Utf8Test, RefusesMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\x80"));              // a lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(IsValidUtf8("ok\xF0\x9F\x93"));    // truncated at the end
}

// Every 1- and 2-byte string against a plain decoder written from the definition.
TEST(Utf8Test, AgreesWithTheDefinitionOnEveryShortString) {
  auto reference = [](const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
      const auto b = static_cast<unsigned char>(s[i]);
      int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
      if (len == 0 || i + static_cast<size_t>(len) > s.size()) return false;
      unsigned cp = len == 1 ? b : b & (0xFFu >> (len + 1));
      for (int k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
        if ((c >> 6) != 2) return false;
        cp = (cp << 6) | (c & 0x3Fu);
      }
      const unsigned min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
      i += static_cast<size_t>(len);
    }
    return true;
  };
  for (int a = 0; a < 256; ++a) {
    const std::string one(1, static_cast<char>(a));
    ASSERT_EQ(IsValidUtf8(one), reference(one)) << a;
    for (int b = 0; b < 256; ++b) {
      const std::string two = one + static_cast<char>(b);
      ASSERT_EQ(IsValidUtf8(two), reference(two)) << a << " " << b;
    }
  }
  // Three-byte sequences around the E0/ED/EF edges and the four-byte F0/F4 ones.
  for (int lead : {0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5}) {
    for (int b = 0x70; b < 0xD0; ++b) {
      std::string s = {static_cast<char>(lead), static_cast<char>(b), '\x80'};
      if (lead >= 0xF0) s += '\x80';
      ASSERT_EQ(IsValidUtf8(s), reference(s)) << lead << " " << b;
    }
  }
}

}  // namespace
}  // namespace df::drift
