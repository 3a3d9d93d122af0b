// Credentials from files: which flag combinations are refused (and how the error
// names the flag), and reading secret files. The handshakes themselves run end to
// end in tests/security (real servers, a CA made by openssl).
#include "services/common/transport_security.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>

#include "services/common/service_main.h"

namespace df::server {
namespace {

std::string WriteTempFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

ServerTlsFiles ServerFiles(std::string cert, std::string key, std::string client_ca) {
  ServerTlsFiles files;
  files.cert = std::move(cert);
  files.key = std::move(key);
  files.client_ca = std::move(client_ca);
  return files;
}

ClientSecurityFiles ClientFiles(std::string ca, std::string cert, std::string key,
                                std::string token) {
  ClientSecurityFiles files;
  files.ca = std::move(ca);
  files.cert = std::move(cert);
  files.key = std::move(key);
  files.token = std::move(token);
  return files;
}

TEST(ReadSecretFileTest, TrailingWhitespaceIsRemoved) {
  const absl::StatusOr<std::string> token =
      ReadSecretFile(WriteTempFile("token", "abc def\n\n"), "--token_file");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*token, "abc def");
}

TEST(ReadSecretFileTest, MissingEmptyAndHugeFilesAreErrorsNamingTheFlag) {
  const absl::StatusOr<std::string> missing = ReadSecretFile("/nonexistent/ca.pem", "--tls_ca");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("--tls_ca: cannot read '/nonexistent/ca.pem'"),
            std::string::npos);
  const absl::StatusOr<std::string> empty =
      ReadSecretFile(WriteTempFile("empty", " \n"), "--token_file");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(empty.status().message().find("is empty"), std::string::npos);
  const absl::StatusOr<std::string> huge =
      ReadSecretFile(WriteTempFile("huge", std::string((1 << 20) + 1, 'x')), "--tls_cert");
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SecretsEqualTest, ComparesContentsAndLengths) {
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("abc", "abcd"));
  EXPECT_TRUE(SecretsEqual("", ""));
}

TEST(ServerCredentialsTest, NoFilesIsPlaintext) {
  const auto credentials = ServerCredentialsFromFiles({});
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
}

TEST(ServerCredentialsTest, HalfAPairOrAClientCaWithoutTlsIsRefused) {
  EXPECT_EQ(ServerCredentialsFromFiles(ServerFiles("c.pem", "", "")).status().message(),
            "--tls_cert needs --tls_key too (a certificate and its private key)");
  EXPECT_EQ(ServerCredentialsFromFiles(ServerFiles("", "k.pem", "")).status().message(),
            "--tls_key needs --tls_cert too (a certificate and its private key)");
  EXPECT_EQ(ServerCredentialsFromFiles(ServerFiles("", "", "ca.pem")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OpenChannelTest, NoFilesIsAPlaintextChannel) {
  const auto channel = OpenChannel("127.0.0.1:1", {});
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_NE(*channel, nullptr);
}

TEST(OpenChannelTest, ATokenIsNeverSentWithoutTls) {
  const auto channel = OpenChannel("127.0.0.1:1", ClientFiles("", "", "", "token"));
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(channel.status().message().find("--token_file needs --tls_ca"), std::string::npos);
}

TEST(OpenChannelTest, AClientCertificateNeedsItsKeyAndACa) {
  EXPECT_EQ(OpenChannel("h:1", ClientFiles("ca.pem", "c.pem", "", "")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_NE(OpenChannel("h:1", ClientFiles("", "c.pem", "k.pem", ""))
                .status()
                .message()
                .find("need --tls_ca"),
            std::string::npos);
}

TEST(IsLoopbackAddressTest, LoopbackHostsOnly) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50061"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:0"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:9461"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50061"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50061"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.7:50061"));
}

}  // namespace
}  // namespace df::server
