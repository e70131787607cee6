#pragma once
// The one way this library reads PC/SC reader states (pcsc.cpp, reader_monitor.cpp).
//
// pcsc-lite's client library keeps the reader states of all contexts in one
// array per process (`readerStates` in winscard_clnt.c), which
// SCardGetStatusChange, SCardListReaders and SCardStatus refresh from pcscd
// and read without a lock. Two threads doing so at once, even on two
// contexts, race on it (ThreadSanitizer shows it: ReaderMonitor's thread and a
// wait_for_card elsewhere). So every such call goes through here and holds
// one process-wide lock for exactly one call, taken in arrival order.
//
// A wait never holds the lock for long: it is cut into slices of at most
// kWaitSlice. A change in a reader ends the current slice at once, so the
// thread holding the lock sees a card immediately, and a thread queued behind
// it gets its turn within one slice and then sees the change on its first call.
// No SCardCancel is needed to end a wait (in pcsc-lite it reads a flag the
// waiting thread writes without a common lock): `stop` is asked between slices.
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <chrono>
#include <functional>
#include <optional>

namespace kakanai::cardreader::detail {

// Longer slices cost less when idle: pcsc-lite spins about 1 ms at the end of every
// timed wait (measured: 2 % of a core with 50 ms slices). Shorter ones let a
// queued call in sooner.
inline constexpr std::chrono::milliseconds kWaitSlice{250};

LONG list_readers(SCARDCONTEXT ctx, char* readers, DWORD* length);
LONG card_status(SCARDHANDLE card, char* reader, DWORD* reader_length, DWORD* state, DWORD* protocol, BYTE* atr,
                 DWORD* atr_length);
// The current states, no waiting (SCardGetStatusChange with timeout 0).
LONG current_states(SCARDCONTEXT ctx, SCARD_READERSTATE* states, DWORD count);
// Waits until a state differs from its dwCurrentState, for at most `timeout`
// (nullopt: without end). SCARD_E_TIMEOUT at the end of the time,
// SCARD_E_CANCELLED as soon as `stop` (asked before each slice) returns true.
LONG wait_for_change(SCARDCONTEXT ctx, SCARD_READERSTATE* states, DWORD count,
                     std::optional<std::chrono::milliseconds> timeout, const std::function<bool()>& stop);

}  // namespace kakanai::cardreader::detail
