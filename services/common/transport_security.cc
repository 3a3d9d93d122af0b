#include "services/common/transport_security.h"

#include <cerrno>
#include <fstream>
#include <iterator>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace df::server {
namespace {

constexpr std::streamsize kMaxSecretFileBytes = 1 << 20;

// Both halves of a certificate/key pair, or neither.
absl::Status CheckPair(const std::string& cert, const std::string& key, absl::string_view cert_flag,
                       absl::string_view key_flag) {
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(cert.empty() ? key_flag : cert_flag, " needs ",
                                                   cert.empty() ? cert_flag : key_flag,
                                                   " too (a certificate and its private key)"));
  }
  return absl::OkStatus();
}

// The PEM certificate chain and private key the --tls_cert and --tls_key files hold.
struct CertificateAndKey {
  std::string cert_chain;
  std::string private_key;
};
absl::StatusOr<CertificateAndKey> ReadCertificateAndKey(const std::string& cert_file,
                                                        const std::string& key_file) {
  absl::StatusOr<std::string> cert = ReadSecretFile(cert_file, "--tls_cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadSecretFile(key_file, "--tls_key");
  if (!key.ok()) return key.status();
  return CertificateAndKey{*std::move(cert), *std::move(key)};
}

}  // namespace

bool SecretsEqual(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path, absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(flag, ": cannot read '", path, "': ", std::generic_category().message(errno)));
  }
  std::string content;
  content.resize(static_cast<size_t>(kMaxSecretFileBytes) + 1);
  in.read(content.data(), kMaxSecretFileBytes + 1);
  if (in.bad()) {
    return absl::FailedPreconditionError(absl::StrCat(flag, ": cannot read '", path, "'"));
  }
  const std::streamsize got = in.gcount();
  if (got > kMaxSecretFileBytes) {
    return absl::FailedPreconditionError(
        absl::StrCat(flag, ": '", path, "' is larger than ", kMaxSecretFileBytes, " bytes"));
  }
  content.resize(static_cast<size_t>(got));
  absl::StripTrailingAsciiWhitespace(&content);
  if (content.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(flag, ": '", path, "' is empty"));
  }
  return content;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFiles(
    const ServerTlsFiles& files) {
  if (absl::Status pair = CheckPair(files.cert, files.key, "--tls_cert", "--tls_key"); !pair.ok()) {
    return pair;
  }
  if (files.cert.empty()) {
    if (!files.client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca needs --tls_cert and --tls_key (mutual TLS is TLS first)");
    }
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<CertificateAndKey> pem = ReadCertificateAndKey(files.cert, files.key);
  if (!pem.ok()) return pem.status();
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  pair.cert_chain = std::move(pem->cert_chain);
  pair.private_key = std::move(pem->private_key);

  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!files.client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadSecretFile(files.client_ca, "--tls_client_ca");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *std::move(ca);
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

bool UsesTls(const ClientSecurityFiles& files) {
  return !files.ca.empty() || !files.cert.empty() || !files.key.empty();
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(const std::string& target,
                                                           const ClientSecurityFiles& files,
                                                           grpc::ChannelArguments arguments) {
  if (absl::Status pair = CheckPair(files.cert, files.key, "--tls_cert", "--tls_key"); !pair.ok()) {
    return pair;
  }
  if (!UsesTls(files)) {
    if (!files.token.empty()) {
      return absl::InvalidArgumentError(
          "--token_file needs --tls_ca: a bearer token is only sent over TLS");
    }
    if (!files.server_name.empty()) {
      return absl::InvalidArgumentError("--tls_server_name needs --tls_ca");
    }
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments);
  }
  if (files.ca.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key need --tls_ca (the CA that signed the server's certificate)");
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> ca = ReadSecretFile(files.ca, "--tls_ca");
  if (!ca.ok()) return ca.status();
  ssl.pem_root_certs = *std::move(ca);
  if (!files.cert.empty()) {
    absl::StatusOr<CertificateAndKey> pem = ReadCertificateAndKey(files.cert, files.key);
    if (!pem.ok()) return pem.status();
    ssl.pem_cert_chain = std::move(pem->cert_chain);
    ssl.pem_private_key = std::move(pem->private_key);
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::SslCredentials(ssl);
  if (!files.token.empty()) {
    absl::StatusOr<std::string> token = ReadSecretFile(files.token, "--token_file");
    if (!token.ok()) return token.status();
    credentials = grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(*std::move(token)));
  }
  if (!files.server_name.empty()) {
    arguments.SetSslTargetNameOverride(files.server_name);
  }
  return grpc::CreateCustomChannel(target, credentials, arguments);
}

}  // namespace df::server
