// `dynhook admin …`: operator tasks run directly against the database named by --database
// (the same store `serve` uses; safe while a server runs, the store is multi-process safe).
#include <boost/json.hpp>
#include <iostream>

#include "app/cli_options.h"
#include "app/commands.h"
#include "app/secret_key.h"
#include "connect/applications.h"
#include "core/json.h"
#include "store/store.h"

namespace dynhook::app {
namespace {

struct AdminArgs {
  std::string name;
  std::vector<std::string> redirectUris;
  std::string applicationId;
  bool json = false;
};

int Fail(const core::Error& error) {
  std::cerr << "dynhook admin: " << error.description << "\n";
  return error.type == "VALIDATION" ? 2 : 1;
}

core::Result<std::unique_ptr<store::Store>> OpenMigrated(const ServeConfig& config) {
  auto store = store::OpenStore(config.database);
  if (!store) return store;
  if (auto migrated = (*store)->Migrate(); !migrated) return migrated.take_error();
  return store;
}

boost::json::object ApplicationJson(const store::Application& app) {
  boost::json::array uris;
  for (const auto& uri : app.redirectUris) uris.emplace_back(uri);
  return {{"id", app.id},
          {"name", app.name},
          {"clientId", app.clientId},
          {"redirectUris", std::move(uris)},
          {"createdAt", core::FormatIso8601(app.createdAt)}};
}

int CreateApp(const ServeConfig& config, const AdminArgs& args) {
  auto store = OpenMigrated(config);
  if (!store) return Fail(store.error());
  auto key = LoadOrCreateSecretKey(config);
  if (!key) return Fail(key.error());
  const core::SecretBox box(*key);
  const core::RealClock wall;
  auto created = connect::CreateApplication(**store, box, wall, args.name, args.redirectUris);
  if (!created) return Fail(created.error());
  auto out = ApplicationJson(created->app);
  out["clientSecret"] = created->clientSecret;
  out["managementToken"] = created->managementToken;
  if (args.json) {
    std::cout << core::Stringify(out) << "\n";
    return 0;
  }
  std::cout << "Application created. The secrets below are shown only once: store them now.\n"
            << "  id:              " << created->app.id << "\n"
            << "  name:            " << created->app.name << "\n"
            << "  clientId:        " << created->app.clientId << "\n"
            << "  clientSecret:    " << created->clientSecret << "\n"
            << "  managementToken: " << created->managementToken << "\n";
  for (const auto& uri : created->app.redirectUris)
    std::cout << "  redirectUri:     " << uri << "\n";
  return 0;
}

int ListApps(const ServeConfig& config, const AdminArgs& args) {
  auto store = OpenMigrated(config);
  if (!store) return Fail(store.error());
  auto apps = (*store)->ListApplications();
  if (!apps) return Fail(apps.error());
  if (args.json) {
    boost::json::array list;
    for (const auto& app : *apps) list.emplace_back(ApplicationJson(app));
    std::cout << core::Stringify(list) << "\n";
    return 0;
  }
  if (apps->empty()) std::cout << "no applications yet: dynhook admin app create --name …\n";
  for (const auto& app : *apps) {
    std::cout << app.id << "  " << app.clientId << "  " << app.name << "\n";
  }
  return 0;
}

int RotateToken(const ServeConfig& config, const AdminArgs& args) {
  auto store = OpenMigrated(config);
  if (!store) return Fail(store.error());
  auto key = LoadOrCreateSecretKey(config);
  if (!key) return Fail(key.error());
  const core::SecretBox box(*key);
  auto token = connect::RotateManagementToken(**store, box, args.applicationId);
  if (!token) return Fail(token.error());
  std::cout << (args.json ? core::Stringify(boost::json::object{{"managementToken", *token}})
                          : "new managementToken (shown once): " + *token)
            << "\n";
  return 0;
}

}  // namespace

Command AddAdminCommand(CLI::App& root, ServeConfig& config) {
  auto* admin = root.add_subcommand("admin", "create and list applications, rotate tokens");
  admin->require_subcommand(1);
  auto* app = admin->add_subcommand("app", "applications");
  app->require_subcommand(1);
  auto args = std::make_shared<AdminArgs>();

  auto* create = app->add_subcommand("create", "create an application; prints its secrets once");
  AddStoreOptions(*create, config);
  create->add_option("--name", args->name, "application name")->required();
  create
      ->add_option("--redirect-uri", args->redirectUris,
                   "allowed OAuth redirect URI "
                   "(repeatable)")
      ->required();
  create->add_flag("--json", args->json, "print JSON");

  auto* list = app->add_subcommand("list", "list applications (no secrets)");
  AddStoreOptions(*list, config);
  list->add_flag("--json", args->json, "print JSON");

  auto* rotate = app->add_subcommand("rotate-token", "replace an application's management token");
  AddStoreOptions(*rotate, config);
  rotate->add_option("--id", args->applicationId, "application id")->required();
  rotate->add_flag("--json", args->json, "print JSON");

  return {admin, [&config, args, create, list, rotate] {
            if (auto ok = config.Validate(); !ok) return Fail(ok.error());
            if (create->parsed()) return CreateApp(config, *args);
            if (list->parsed()) return ListApps(config, *args);
            if (rotate->parsed()) return RotateToken(config, *args);
            return 2;
          }};
}

}  // namespace dynhook::app
