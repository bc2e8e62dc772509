#include "delivery/curl_transfer.h"

#include <strings.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <stdexcept>
#include <utility>

#include "delivery/address_guard.h"

namespace dynhook::delivery {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view Trim(std::string_view text) {
  auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

bool NameIs(std::string_view name, std::string_view expected) {
  return name.size() == expected.size() &&
         strncasecmp(name.data(), expected.data(), name.size()) == 0;
}

bool HasHeader(const OutboundRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& header) { return NameIs(header.first, name); });
}

bool IsTlsError(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

template <class T>
void Set(CURL* easy, CURLoption option, T value) {
  if (curl_easy_setopt(easy, option, value) != CURLE_OK) {
    throw std::runtime_error("libcurl refused option " + std::to_string(option));
  }
}

}  // namespace

std::optional<int> ParseRetryAfter(std::string_view value, core::TimePoint now) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range) return INT_MAX;
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return static_cast<int>(std::min<long long>(seconds, INT_MAX));
  }
  std::string text(value);
  time_t date = curl_getdate(text.c_str(), nullptr);
  if (date == -1) return std::nullopt;
  long long nowSeconds = core::ToMillis(now) / 1000;
  long long delta = static_cast<long long>(date) - nowSeconds;
  return static_cast<int>(std::clamp<long long>(delta, 0, INT_MAX));
}

CurlTransfer::CurlTransfer(const TransferSettings& settings)
    : settings_(settings), easy_(curl_easy_init()) {
  if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  Set(easy_, CURLOPT_PRIVATE, static_cast<void*>(this));
  Set(easy_, CURLOPT_NOSIGNAL, 1L);
  Set(easy_, CURLOPT_FOLLOWLOCATION, 0L);
  Set(easy_, CURLOPT_SSL_VERIFYPEER, 1L);
  Set(easy_, CURLOPT_SSL_VERIFYHOST, 2L);
  Set(easy_, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  Set(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
  Set(easy_, CURLOPT_PROXY, "");  // never a proxy from the environment: it would skip the guard
  Set(easy_, CURLOPT_POST, 1L);
  Set(easy_, CURLOPT_TCP_KEEPALIVE, 1L);
  Set(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connectTimeout.count()));
  Set(easy_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings_.abortResponseBytes));
  Set(easy_, CURLOPT_ERRORBUFFER, errorBuffer_);
  Set(easy_, CURLOPT_WRITEFUNCTION, &CurlTransfer::OnBody);
  Set(easy_, CURLOPT_WRITEDATA, static_cast<void*>(this));
  Set(easy_, CURLOPT_HEADERFUNCTION, &CurlTransfer::OnHeader);
  Set(easy_, CURLOPT_HEADERDATA, static_cast<void*>(this));
  Set(easy_, CURLOPT_OPENSOCKETFUNCTION, &CurlTransfer::OnOpenSocket);
  Set(easy_, CURLOPT_OPENSOCKETDATA, static_cast<void*>(this));
}

CurlTransfer::~CurlTransfer() {
  curl_slist_free_all(headers_);
  curl_easy_cleanup(easy_);
}

CurlTransfer* CurlTransfer::From(CURL* easy) {
  char* self = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &self);
  return reinterpret_cast<CurlTransfer*>(self);
}

bool CurlTransfer::Prepare(OutboundRequest request, std::function<void(TransportResult)> done,
                           std::chrono::steady_clock::time_point sentAt, HostQueue* endpoint,
                           std::string* error) {
  request_ = std::move(request);
  done_ = std::move(done);
  sentAt_ = sentAt;
  endpoint_ = endpoint;
  std::string line;
  for (const auto& [name, value] : request_.headers) {
    line.assign(name).append(value.empty() ? ";" : ": ").append(value);
    headers_ = curl_slist_append(headers_, line.c_str());
  }
  headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
  if (!HasHeader(request_, "Content-Type")) headers_ = curl_slist_append(headers_, "Content-Type:");
  if (!HasHeader(request_, "Accept")) headers_ = curl_slist_append(headers_, "Accept:");
  bool ok = headers_ != nullptr &&
            curl_easy_setopt(easy_, CURLOPT_URL, request_.url.c_str()) == CURLE_OK &&
            curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_) == CURLE_OK &&
            curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request_.body.size())) == CURLE_OK &&
            curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request_.body.data()) == CURLE_OK &&
            curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS,
                             static_cast<long>(std::max<int64_t>(1, request_.timeout.count()))) ==
                CURLE_OK;
  if (!ok) *error = "invalid request";
  return ok;
}

size_t CurlTransfer::OnBody(char* data, size_t size, size_t count, void* self) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  size_t length = size * count;
  transfer->bodyBytes_ += length;
  size_t room = transfer->request_.maxResponseBytes -
                std::min(transfer->excerpt_.size(), transfer->request_.maxResponseBytes);
  transfer->excerpt_.append(data, std::min(room, length));
  if (transfer->bodyBytes_ > transfer->settings_.abortResponseBytes) {
    transfer->tooLarge_ = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  return length;
}

size_t CurlTransfer::OnHeader(char* data, size_t size, size_t count, void* self) {
  static_cast<CurlTransfer*>(self)->ParseHeader(std::string_view(data, size * count));
  return size * count;
}

void CurlTransfer::ParseHeader(std::string_view line) {
  if (line.starts_with("HTTP/")) {  // a new response head (after a 1xx): start over
    retryAfter_.reset();
    location_.reset();
    return;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  auto name = Trim(line.substr(0, colon));
  auto value = Trim(line.substr(colon + 1));
  if (NameIs(name, "Retry-After")) {
    retryAfter_ = ParseRetryAfter(value, settings_.clock->Now());
  } else if (NameIs(name, "Location")) {
    location_ = std::string(value);
  }
}

curl_socket_t CurlTransfer::OnOpenSocket(void* self, curlsocktype /*purpose*/,
                                         curl_sockaddr* address) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  if (!transfer->settings_.allowPrivateAddresses && !IsPublicAddress(&address->addr)) {
    transfer->blocked_ = true;
    return CURL_SOCKET_BAD;
  }
  int fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd < 0) return CURL_SOCKET_BAD;
  if (transfer->settings_.connectionsOpened != nullptr) ++*transfer->settings_.connectionsOpened;
  return fd;
}

std::string CurlTransfer::ErrorFor(CURLcode code) const {
  std::string detail = errorBuffer_[0] != '\0' ? errorBuffer_ : curl_easy_strerror(code);
  if (tooLarge_ || code == CURLE_FILESIZE_EXCEEDED) return "response too large";
  if (blocked_ && code == CURLE_COULDNT_CONNECT) return "blocked address";
  if (IsTlsError(code)) return "tls: " + detail;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_CONNECT:
      return "connection refused";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "could not resolve host";
    case CURLE_GOT_NOTHING:
      return "empty reply";
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "invalid url";
    default:
      return "network: " + detail;
  }
}

TransportResult CurlTransfer::Finish(CURLcode code, std::function<void(TransportResult)>* done) {
  TransportResult result;
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  result.statusCode = static_cast<int>(status);
  if (code != CURLE_OK) result.error = ErrorFor(code);
  result.responseExcerpt = std::move(excerpt_);
  result.retryAfterSeconds = retryAfter_;
  if (result.statusCode >= 300 && result.statusCode < 400) result.location = std::move(location_);
  result.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - sentAt_);
  *done = std::move(done_);
  Clear();
  return result;
}

TransportResult CurlTransfer::Abandon(std::string error,
                                      std::function<void(TransportResult)>* done) {
  TransportResult result;
  result.error = std::move(error);
  result.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - sentAt_);
  *done = std::move(done_);
  Clear();
  return result;
}

void CurlTransfer::Clear() {
  curl_slist_free_all(headers_);
  headers_ = nullptr;
  request_ = OutboundRequest{};
  done_ = nullptr;
  endpoint_ = nullptr;
  excerpt_.clear();
  bodyBytes_ = 0;
  tooLarge_ = false;
  blocked_ = false;
  retryAfter_.reset();
  location_.reset();
  errorBuffer_[0] = '\0';
}

}  // namespace dynhook::delivery
