#include "connect/authorize_page.h"

#include <utility>

#include "core/crypto.h"

namespace dynhook::connect {
namespace {

constexpr std::string_view kStyle =
    "body{margin:0;background:#f3f4f6;color:#111827;"
    "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
    "main{max-width:28rem;margin:2rem auto;background:#fff;border-radius:12px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1.5rem 2rem}"
    "h1{font-size:1.35rem;margin:0 0 .25rem}h2{font-size:1rem;margin:1.25rem 0 .5rem}"
    ".sub{color:#4b5563;margin:0 0 1rem}"
    "label{display:block;font-weight:600;margin:.75rem 0 .25rem}"
    "input[type=text],input[type=password],select{width:100%;box-sizing:border-box;"
    "padding:.55rem .6rem;border:1px solid #9ca3af;border-radius:6px;font:inherit}"
    "ul{padding-left:1.2rem;margin:.25rem 0}li{margin:.2rem 0}"
    ".opt{color:#6b7280;font-size:.85rem}"
    ".error{background:#fef2f2;border:1px solid #fca5a5;color:#991b1b;border-radius:6px;"
    "padding:.6rem .8rem}"
    ".mode{display:inline-block;background:#fef3c7;color:#92400e;border-radius:4px;"
    "padding:0 .4rem;font-size:.8rem}"
    ".actions{display:flex;gap:.75rem;margin-top:1.5rem}"
    "button{flex:1;padding:.65rem;border-radius:6px;font:inherit;font-weight:600;"
    "cursor:pointer;border:1px solid #1d4ed8}"
    "button[value=approve]{background:#1d4ed8;color:#fff}"
    "button[value=deny]{background:#fff;color:#1d4ed8}"
    "footer{color:#6b7280;font-size:.8rem;margin-top:1.25rem}";

// The CSP source for the stylesheet above: 'sha256-<base64 of its digest>'.
const std::string& StyleHashSource() {
  static const std::string kSource =
      "'sha256-" + core::Base64Encode(core::HexDecode(core::Sha256Hex(kStyle)).value_or("")) + "'";
  return kSource;
}

std::string Head(std::string_view title) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<title>" + HtmlEscape(title) + "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n";
  return out;
}

void AppendHiddenFields(std::string& out, const http::Fields& fields) {
  for (const auto& [name, value] : fields) {
    out += "<input type=\"hidden\" name=\"" + HtmlEscape(name) + "\" value=\"" + HtmlEscape(value) +
           "\">\n";
  }
}

void AppendBrandSelect(std::string& out, const ConnectPage& page) {
  out += "<label for=\"brand\">Car brand</label>\n";
  out += "<select id=\"brand\" name=\"brand\" required>\n";
  if (page.lockedMake) {
    out += "<option value=\"" + HtmlEscape(page.lockedMake->make) + "\" selected>" +
           HtmlEscape(page.lockedMake->displayName) + "</option>\n</select>\n";
    return;
  }
  const bool anyAllowed = page.mode != "live";
  out += std::string("<option value=\"\"") + (page.selectedMake.empty() ? " selected" : "") +
         (anyAllowed ? ">Any brand (simulated account)" : " disabled>Choose your brand") +
         "</option>\n";
  for (const auto& make : page.makes) {
    out += "<option value=\"" + HtmlEscape(make.make) + "\"" +
           (make.make == page.selectedMake ? " selected" : "") + ">" +
           HtmlEscape(make.displayName) + "</option>\n";
  }
  out += "</select>\n";
}

void AppendPermissions(std::string& out, const std::vector<RequestedPermission>& permissions) {
  out += "<h2 id=\"permissions\">This application will be able to:</h2>\n";
  out += "<ul aria-labelledby=\"permissions\">\n";
  for (const auto& permission : permissions) {
    out += "<li>" + HtmlEscape(DescribePermission(permission.name));
    if (!permission.required) out += " <span class=\"opt\">(optional)</span>";
    out += "</li>\n";
  }
  out += "</ul>\n";
}

void AppendCredentials(std::string& out, const ConnectPage& page) {
  out += "<label for=\"username\">Email or username</label>\n";
  out +=
      "<input type=\"text\" id=\"username\" name=\"username\" inputmode=\"email\" "
      "autocomplete=\"username\" required maxlength=\"254\" value=\"" +
      HtmlEscape(page.username) + "\">\n";
  out += "<label for=\"password\">Password</label>\n";
  out +=
      "<input type=\"password\" id=\"password\" name=\"password\" "
      "autocomplete=\"current-password\" required maxlength=\"1024\">\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderConnectPage(const ConnectPage& page) {
  const std::string app = HtmlEscape(page.applicationName);
  std::string out = Head("Connect your car to " + page.applicationName);
  out += "<main>\n<h1>Connect your car to " + app + "</h1>\n";
  out += "<p class=\"sub\">Log in to your car's connected services account to let <strong>" + app +
         "</strong> access your vehicle.";
  if (page.mode != "live") out += " <span class=\"mode\">" + HtmlEscape(page.mode) + " mode</span>";
  out += "</p>\n";
  if (!page.errorMessage.empty()) {
    out += "<p class=\"error\" role=\"alert\">" + HtmlEscape(page.errorMessage) + "</p>\n";
  }
  out += "<form method=\"post\" action=\"/oauth/authorize\">\n";
  AppendHiddenFields(out, page.hiddenFields);
  AppendBrandSelect(out, page);
  AppendCredentials(out, page);
  AppendPermissions(out, page.permissions);
  // Approve comes first: pressing Enter in a field submits the first button.
  out +=
      "<div class=\"actions\">\n"
      "<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\n"
      "<button type=\"submit\" name=\"action\" value=\"deny\" formnovalidate>Deny</button>\n"
      "</div>\n</form>\n";
  out += "<footer>You can disconnect your vehicle from " + app +
         " at any time. dynhook never shares your password with the application.</footer>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string RenderErrorPage(std::string_view title, std::string_view message) {
  std::string out = Head(title);
  out += "<main>\n<h1>" + HtmlEscape(title) + "</h1>\n";
  out += "<p class=\"error\" role=\"alert\">" + HtmlEscape(message) + "</p>\n";
  out +=
      "<p class=\"sub\">Please return to the application and try again. If the problem "
      "persists, contact the application's developer.</p>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

http::Response ConnectHtml(int status, std::string body) {
  http::Response response = http::Response::Html(status, std::move(body));
  response.SetHeader("Content-Security-Policy",
                     "default-src 'none'; style-src " + StyleHashSource() +
                         "; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace dynhook::connect
