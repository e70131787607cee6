// The virtual card's side of vsmartcard's vpcd protocol: every message is a
// 2-byte big-endian length and a payload; a 1-byte payload is a control code.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kakanai/cardreader/virtual_card.hpp"

namespace kakanai::cardreader {
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

// Reads exactly n bytes; false on close, error or stop.
bool read_exact(int fd, std::uint8_t* p, std::size_t n, const std::atomic<bool>& stop) {
    while (n > 0) {
        pollfd pfd{fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, 200);
        if (stop.load()) return false;
        if (ready < 0) return false;
        if (ready == 0) continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        const ssize_t got = ::recv(fd, p, n, 0);
        if (got <= 0) return false;
        p += got;
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

bool send_message(int fd, const byte_vector& payload) {
    byte_vector msg{static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size() & 0xFF)};
    msg.insert(msg.end(), payload.begin(), payload.end());
    std::size_t sent = 0;
    while (sent < msg.size()) {
        const ssize_t n = ::send(fd, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

bool serve_vpcd(VirtualCard& card, const std::string& host, std::uint16_t port, const std::atomic<bool>& stop) {
    Socket sock(connect_to(host, port));
    if (sock.fd() < 0) return false;
    for (;;) {
        std::uint8_t len_bytes[2];
        if (!read_exact(sock.fd(), len_bytes, 2, stop)) return true;
        const std::size_t len = static_cast<std::size_t>(len_bytes[0] << 8 | len_bytes[1]);
        byte_vector payload(len);
        if (len > 0 && !read_exact(sock.fd(), payload.data(), len, stop)) return true;
        if (len == 1) {
            switch (payload[0]) {
                case kGetAtr:
                    if (!send_message(sock.fd(), VirtualCard::atr())) return true;
                    break;
                case kReset:
                case kPowerOn:
                case kPowerOff: card.power_cycle(); break;
                default: break;
            }
            continue;
        }
        if (card.removed()) return true;  // closing the socket = card pulled out
        if (!send_message(sock.fd(), card.process(payload))) return true;
    }
}

}  // namespace kakanai::cardreader
