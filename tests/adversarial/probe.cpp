#include "probe.hpp"

#include <signal.h>

#include <cstdio>

#include "iana.hpp"
#include "raw_message.hpp"

namespace adversarial {

using namespace peer::iana;
using peer::Message;

namespace {

std::string types_text(const std::vector<std::uint16_t>& types) {
    std::string s;
    for (auto t : types) s += (s.empty() ? "" : "|") + peer::notify_name(t);
    return s;
}

// Notifies of a message: (type, data).
std::vector<peer::Notify> notifies(const Message& m) {
    std::vector<peer::Notify> out;
    for (const auto& p : m.payloads)
        if (p.type == kNotify)
            if (auto n = peer::parse_notify(p.body)) out.push_back(*n);
    return out;
}

bool has_error_notify(const Message& m) {
    for (const auto& n : notifies(m))
        if (n.type < 16384) return true;
    return false;
}

std::string notify_text(const peer::Notify& n) {
    std::string s = peer::notify_name(n.type);
    if (!n.data.empty()) s += "(data " + peer::to_hex(n.data).substr(0, 16) + ")";
    return s;
}

std::string message_text(const Message& m, bool encrypted) {
    std::string prefix = encrypted ? "encrypted " : "";
    auto ns = notifies(m);
    for (const auto& n : ns)
        if (n.type < 16384 || n.type == kCookie) return prefix + notify_text(n);
    if (peer::find(m.payloads, kSA)) return prefix + "answer with SA (accepted)";
    return prefix + "answer without error notify";
}

}  // namespace

std::string describe_answer(const Bytes& packet, const peer::Initiator* keys) {
    auto h = peer::decode_header(packet);
    if (!h) return "runt datagram of " + std::to_string(packet.size()) + " bytes";
    if (keys && keys->keys_ready())
        if (auto m = keys->open(packet)) return message_text(*m, true);
    auto m = peer::decode_message(packet);
    if (!m) return "malformed answer of " + std::to_string(packet.size()) + " bytes";
    if (!m->payloads.empty() && (m->payloads.back().type == kSK || m->payloads.back().type == kSKF))
        return "protected answer the case's keys do not open";
    return message_text(*m, false);
}

std::string Expect::describe() const {
    switch (kind) {
        case Kind::Drop: return "no answer";
        case Kind::Notify: return types_text(types) + (data ? "(data " + peer::to_hex(*data) + ")" : "");
        case Kind::DropOrNotify: return "no answer or " + types_text(types);
        case Kind::Accept: return "IKE_SA_INIT accepted";
        case Kind::EncNotify: return "encrypted " + types_text(types) + (data ? "(data " + peer::to_hex(*data) + ")" : "");
        case Kind::EncAccept: return "encrypted answer without error";
    }
    return "?";
}

Expect drop() { return Expect{Expect::Kind::Drop, {}, std::nullopt, {}}; }
Expect notify(std::uint16_t type, std::optional<Bytes> data) { return Expect{Expect::Kind::Notify, {type}, data, {}}; }
Expect notify_one_of(std::vector<std::uint16_t> types) {
    return Expect{Expect::Kind::Notify, std::move(types), std::nullopt, {}};
}
Expect drop_or_notify(std::uint16_t type) { return Expect{Expect::Kind::DropOrNotify, {type}, std::nullopt, {}}; }
Expect malformed() { return drop_or_notify(kInvalidSyntax); }
Expect accept(std::function<std::string(const Message&)> check) {
    return Expect{Expect::Kind::Accept, {}, std::nullopt, std::move(check)};
}
Expect enc_notify(std::uint16_t type, std::optional<Bytes> data) {
    return Expect{Expect::Kind::EncNotify, {type}, data, {}};
}
Expect enc_accept(std::function<std::string(const Message&)> check) {
    return Expect{Expect::Kind::EncAccept, {}, std::nullopt, std::move(check)};
}

Prober::Prober(const UdpSocket& socket, Address gateway, int daemon_pid)
    : socket_(socket), gateway_(gateway), pid_(daemon_pid) {}

void Prober::record(const std::string& name, bool ok, const std::string& detail) {
    if (ok) {
        ++passed_;
        std::printf("PASS %s\n", name.c_str());
    } else {
        ++failed_;
        failures_.push_back(name);
        std::printf("FAIL %s: %s\n", name.c_str(), detail.c_str());
    }
    std::fflush(stdout);
}

std::optional<Bytes> Prober::ask(const Bytes& packet, std::uint64_t spi_i, int timeout_ms) {
    socket_.send_to(gateway_, packet);
    const double deadline = now_s() + timeout_ms / 1000.0;
    while (true) {
        const int left = static_cast<int>((deadline - now_s()) * 1000);
        if (left <= 0) return std::nullopt;
        auto p = socket_.receive(left);
        if (!p) return std::nullopt;
        auto h = peer::decode_header(*p);
        if (h && h->spi_i == spi_i) return p;
    }
}

bool Prober::half_open(peer::Initiator& ini, std::string& error) {
    for (int round = 0; round < 4; ++round) {
        auto answer = ask(ini.sa_init_request(), ini.spi_i());
        if (!answer) {
            error = "no answer to IKE_SA_INIT";
            return false;
        }
        auto step = ini.on_sa_init_response(*answer);
        if (step == peer::Initiator::Step::Done) return true;
        if (step == peer::Initiator::Step::Failed) {
            error = ini.error();
            return false;
        }
    }
    error = "too many IKE_SA_INIT rounds";
    return false;
}

bool Prober::run(const std::string& name, const Bytes& packet, const Expect& want, const peer::Initiator* keys) {
    socket_.drain();
    socket_.send_to(gateway_, packet);
    // The liveness probe: proposes only curve25519, sends a KE of group 19.
    peer::Initiator probe_ini(peer::InitiatorConfig{});
    RawMessage probe = init_message(probe_ini);
    const std::size_t ke = probe.index_of(kKE);
    probe.payloads[ke].body = peer::ke_body(kDhEcp256, Bytes(64, 0x42));
    socket_.send_to(gateway_, probe.encode());

    std::vector<Bytes> answers;
    bool alive = false;
    const double deadline = now_s() + 5;
    while (!alive && now_s() < deadline) {
        auto p = socket_.receive(static_cast<int>((deadline - now_s()) * 1000) + 1);
        if (!p) break;
        auto h = peer::decode_header(*p);
        if (h && h->spi_i == probe_ini.spi_i() && (h->flags & kFlagResponse))
            alive = true;
        else
            answers.push_back(std::move(*p));
    }
    // Late answers (a gateway that computes on worker threads may answer after the probe).
    const bool wants_answer = want.kind != Expect::Kind::Drop && want.kind != Expect::Kind::DropOrNotify;
    const double grace_end = now_s() + (wants_answer && answers.empty() ? 1.0 : 0.05);
    while (true) {
        const int left = static_cast<int>((grace_end - now_s()) * 1000);
        if (left <= 0) break;
        auto p = socket_.receive(left);
        if (!p) break;
        auto h = peer::decode_header(*p);
        if (!(h && h->spi_i == probe_ini.spi_i())) answers.push_back(std::move(*p));
    }
    const auto own_header = peer::decode_header(packet);
    const std::optional<std::uint64_t> own_spi_i =
        own_header ? std::optional<std::uint64_t>(own_header->spi_i) : std::nullopt;
    judge_late_answers(answers, own_spi_i);
    if (own_spi_i && !keys) {
        recent_.push_back(RecentCase{name, *own_spi_i, want});
        if (recent_.size() > 16) recent_.pop_front();
    }
    if (!alive) {
        const bool running = pid_ <= 0 || kill(pid_, 0) == 0;
        record(name, false,
               "expected " + want.describe() + " got " +
                   (running ? "no answer to the liveness probe within 5 s" : "the daemon is gone (crashed?)"));
        return false;
    }
    std::string got;
    std::string why = judge(answers, want, keys, got);
    record(name, why.empty(), "expected " + want.describe() + " got " + got + (why.empty() ? "" : " (" + why + ")"));
    return why.empty();
}

void Prober::judge_late_answers(std::vector<Bytes>& answers, std::optional<std::uint64_t> own_spi_i) {
    std::vector<Bytes> own;
    for (auto& a : answers) {
        auto h = peer::decode_header(a);
        const RecentCase* earlier = nullptr;
        if (h && !(own_spi_i && h->spi_i == *own_spi_i))
            for (auto it = recent_.rbegin(); it != recent_.rend() && !earlier; ++it)
                if (it->spi_i == h->spi_i) earlier = &*it;
        if (!earlier) {
            own.push_back(std::move(a));
            continue;
        }
        std::string got;
        const std::string why = judge({a}, earlier->want, nullptr, got);
        if (why.empty())
            std::printf("  late answer for %s: %s (as expected)\n", earlier->name.c_str(), got.c_str());
        else
            record(earlier->name + " (late answer)", false,
                   "expected " + earlier->want.describe() + " got " + got + " (" + why + ")");
    }
    answers = std::move(own);
}

std::string Prober::judge(const std::vector<Bytes>& answers, const Expect& want, const peer::Initiator* keys,
                          std::string& got) const {
    using K = Expect::Kind;
    if (answers.empty()) {
        got = "no answer";
        return want.kind == K::Drop || want.kind == K::DropOrNotify ? "" : "the gateway stayed silent";
    }
    got.clear();
    for (const auto& a : answers) got += (got.empty() ? "" : " + ") + describe_answer(a, keys);
    if (want.kind == K::Drop) return "an answer where none is allowed";
    if (answers.size() > 1) return std::to_string(answers.size()) + " answers";
    const Bytes& a = answers.front();
    const bool encrypted_wanted = want.kind == K::EncNotify || want.kind == K::EncAccept;
    std::optional<Message> m;
    if (encrypted_wanted) {
        if (!keys) return "no keys to check the answer";
        m = keys->open(a);
        if (!m) return "the answer is not protected with the IKE SA's keys";
    } else {
        m = peer::decode_message(a);
        if (!m) return "the answer is malformed";
        if (!m->payloads.empty() && m->payloads.back().type == kSK) return "an encrypted answer";
    }
    const peer::Header& h = m->header;
    if (!(h.flags & kFlagResponse) || (h.flags & kFlagInitiator)) return "the answer's flags are not a responder's response";
    if (want.kind == K::Accept || want.kind == K::EncAccept) {
        if (has_error_notify(*m)) return "an error notify";
        if (want.kind == K::Accept &&
            (!peer::find(m->payloads, kSA) || !peer::find(m->payloads, kKE) || !peer::find(m->payloads, kNonce)))
            return "no SA, KE or Nonce";
    } else {
        if (peer::find(m->payloads, kSA) || peer::find(m->payloads, kKE)) return "an SA/KE was negotiated";
        bool found = false;
        for (const auto& n : notifies(*m)) {
            for (auto t : want.types)
                if (n.type == t && (!want.data || n.data == *want.data)) found = true;
        }
        if (!found) return "not the required notify";
    }
    if (want.check) return want.check(*m);
    return "";
}

}  // namespace adversarial
