// The virtual card's side of vsmartcard's vpcd protocol: every message is a
// 2-byte big-endian length and a payload; a 1-byte payload is a control code.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "kakanai/virtualcard/virtual_card.hpp"

namespace kakanai::virtualcard {
using namespace cardreader;
namespace {

enum : std::uint8_t { kPowerOff = 0, kPowerOn = 1, kReset = 2, kGetAtr = 4 };

class Socket {
public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

private:
    int fd_;
};

int connect_to(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
    int fd = -1;
    for (addrinfo* a = res; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd >= 0) {
        // Without these each APDU waits ~45 ms on Nagle + delayed ACK.
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

// Reads what is there (at most n bytes); 0 on close, error or stop.
std::size_t read_some(int fd, std::uint8_t* p, std::size_t n, const std::atomic<bool>& stop) {
    for (;;) {
        pollfd pfd{fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, 200);
        if (stop.load()) return 0;
        if (ready < 0) return 0;
        if (ready == 0) continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        const ssize_t got = ::recv(fd, p, n, 0);
        return got <= 0 ? 0 : static_cast<std::size_t>(got);
    }
}

bool send_all(int fd, const byte_vector& msg) {
    std::size_t sent = 0;
    while (sent < msg.size()) {
        const ssize_t n = ::send(fd, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

void VpcdReader::feed(std::span<const std::uint8_t> bytes) {
    // Drop what was consumed before growing, so a long session stays small.
    if (at_ > 0 && at_ == buffer_.size()) {
        buffer_.clear();
        at_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<byte_vector> VpcdReader::next() {
    if (buffered() < 2) return std::nullopt;
    const std::size_t len = static_cast<std::size_t>(buffer_[at_] << 8 | buffer_[at_ + 1]);
    if (buffered() - 2 < len) return std::nullopt;
    const auto first = buffer_.begin() + static_cast<std::ptrdiff_t>(at_ + 2);
    byte_vector payload(first, first + static_cast<std::ptrdiff_t>(len));
    at_ += 2 + len;
    return payload;
}

byte_vector vpcd_frame(const byte_vector& payload) {
    if (payload.size() > 0xFFFF) throw std::length_error("vpcd message longer than 65535 bytes");
    byte_vector msg{static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size() & 0xFF)};
    msg.insert(msg.end(), payload.begin(), payload.end());
    return msg;
}

std::optional<byte_vector> vpcd_answer(VirtualCard& card, const byte_vector& payload, bool& pulled) {
    if (payload.size() == 1) {
        switch (payload[0]) {
            case kGetAtr: return VirtualCard::atr();
            case kReset:
            case kPowerOn:
            case kPowerOff: card.power_cycle(); break;
            default: break;
        }
        return std::nullopt;
    }
    // An empty message is no APDU: nothing to answer (vpcd never sends one).
    if (payload.empty()) return std::nullopt;
    if (card.removed()) {
        pulled = true;  // closing the socket = card pulled out
        return std::nullopt;
    }
    return card.process(payload);
}

bool serve_vpcd(VirtualCard& card, const std::string& host, std::uint16_t port, const std::atomic<bool>& stop) {
    Socket sock(connect_to(host, port));
    if (sock.fd() < 0) return false;
    VpcdReader reader;
    std::uint8_t buf[4096];
    for (;;) {
        while (auto payload = reader.next()) {
            bool pulled = false;
            const auto answer = vpcd_answer(card, *payload, pulled);
            if (pulled) return true;
            if (answer && !send_all(sock.fd(), vpcd_frame(*answer))) return true;
        }
        const std::size_t got = read_some(sock.fd(), buf, sizeof buf, stop);
        if (got == 0) return true;
        reader.feed(std::span<const std::uint8_t>(buf, got));
    }
}

}  // namespace kakanai::virtualcard
