// The key that seals recoverable secrets at rest (the AMT, which signs payloads). Taken from
// --secret-key when given (required for a cluster: every node needs the same key), otherwise
// read from <data-dir>/secret.key, generated there (mode 0600) on first start.
#pragma once

#include "app/config.h"
#include "core/crypto.h"
#include "core/result.h"

namespace dynhook::app {

core::Result<core::SecretBox::Key> LoadOrCreateSecretKey(const ServeConfig& config);

}  // namespace dynhook::app
