// Small helpers every api handler uses to turn results into HTTP answers, so there is one way
// to write a JSON body (core::Stringify) and one way to answer an error (http::Response::Error).
// Stateless and thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <functional>

#include "core/result.h"
#include "http/router.h"

namespace dynhook::api {

// A handler that returns its expected failures as core::Error values.
using ResultHandler = std::function<core::Result<http::Response>(const http::Request&)>;

// Adapts a ResultHandler to the router: an error becomes the Smartcar error answer carrying
// the request's id.
http::Handler Wrap(ResultHandler handler);

// application/json answer with the body serialised by core::Stringify.
http::Response JsonResponse(int status, const boost::json::value& body);

}  // namespace dynhook::api
