// The dashboard (SPEC §8): serves the embedded web UI.
//   GET /dashboard             -> index.html
//   GET /dashboard/<file>      -> the embedded file with its Content-Type, or
//                                 RESOURCE_NOT_FOUND (404) in Smartcar's error format
// Every answer carries Cache-Control (index: no-cache; assets: a short max-age, revalidated)
// and a Content-Security-Policy limiting the page to its own origin. The UI itself talks to
// the JSON APIs (/api/webhooks, /api/deliveries, /api/events, /api/admin/sim) with the tokens
// the user enters; these routes need no authentication.
// Thread-safety: the handlers read only immutable data.
#pragma once

#include "http/router.h"

namespace dynhook::dashboard {

void RegisterRoutes(http::Router& router);

}  // namespace dynhook::dashboard
