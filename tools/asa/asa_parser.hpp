// Reads a Cisco ASA configuration (`show running-config`, or the seed's unindented
// listing) into a tree: each top-level command with the sub-commands of its mode
// (`crypto ikev2 policy 10` > `encryption aes-192`; `group-policy X attributes` > `webvpn`
// > `anyconnect profiles ...`). Indentation is used when present; without it, a line
// belongs to the open mode when the mode knows its first word. `!` and `:` lines are
// comments; nothing is refused: what the converter does not know it reports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ikev2d::asa {

struct AsaCommand {
    int line = 0;                    // 1-based line in the file
    std::string text;                // the line without surrounding blanks
    std::vector<std::string> words;  // text split at blanks
    std::vector<AsaCommand> children;

    // words[i], or "" past the end.
    const std::string& word(std::size_t i) const;
    // The text from word i on (a banner or description keeps its blanks).
    std::string rest(std::size_t i) const;
    // The first words are exactly these.
    bool starts_with(std::initializer_list<std::string_view> prefix) const;
};

std::vector<AsaCommand> parse_asa_config(std::string_view text);

}  // namespace ikev2d::asa
