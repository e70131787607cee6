// kakanai.toml as an administrator might write it: the kiosk's settings and
// the store's [store] table.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kakanai/store/store.hpp"
#include "options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    kakanai::kiosk::Options o;
    try {
        kakanai::kiosk::load_config_text(text, "/etc/kakanai/kakanai.toml", o);
        // What was accepted is within the documented limits.
        if (o.still_there_s < 5 || o.wipe_after_s <= o.still_there_s || o.languages.empty() || o.station.empty())
            std::abort();
    } catch (const kakanai::kiosk::ConfigError&) {
    }
    try {
        const auto c = kakanai::store::parse_store_config(text, "/etc/kakanai/kakanai.toml");
        if (c.take_lease.count() <= 0) std::abort();
    } catch (const kakanai::store::StoreError&) {
    }
    return 0;
}
