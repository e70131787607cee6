#pragma once
// Every byte-level constant of the My Number card, in one place.
// Marks follow CARD.md: V2 = two or more public sources agree, 1S = one, UNC = none.
#include <array>
#include <cstddef>
#include <cstdint>

namespace kakanai::cardreader::mynumber {

// 券面事項入力補助AP (V2)
inline constexpr std::array<std::uint8_t, 10> kKenhojoAid = {0xD3, 0x92, 0x10, 0x00, 0x31,
                                                            0x00, 0x01, 0x01, 0x04, 0x08};

inline constexpr std::uint16_t kEfMyNumber = 0x0001;   // 個人番号 (V2)
inline constexpr std::uint16_t kEfBasic4 = 0x0002;     // 基本4情報 (V2)
inline constexpr std::uint16_t kEfSignature = 0x0003;  // hashes + signature (1S: after VERIFY)
inline constexpr std::uint16_t kEfCertificate = 0x0004;  // (V2, free to read)
inline constexpr std::uint16_t kEfPin = 0x0011;        // 4-digit PIN key (V2)
inline constexpr std::uint16_t kEfCodeA = 0x0014;      // 照合番号A key (V2)
inline constexpr std::uint16_t kEfCodeB = 0x0015;      // 照合番号B key (V2)
// EF 0012 is blocked on every card examined (1S): never VERIFY it. The reader
// never uses this constant; the virtual card does, to count VERIFYs sent to it.
inline constexpr std::uint16_t kEfNeverVerify = 0x0012;

inline constexpr std::uint8_t kInsSelect = 0xA4;
inline constexpr std::uint8_t kInsVerify = 0x20;
inline constexpr std::uint8_t kInsReadBinary = 0xB0;
inline constexpr std::uint8_t kP1SelectByName = 0x04;
inline constexpr std::uint8_t kP1SelectEf = 0x02;
inline constexpr std::uint8_t kP2NoFci = 0x0C;
inline constexpr std::uint8_t kP2VerifySpecific = 0x80;

// Status words.
inline constexpr std::uint16_t kSwOk = 0x9000;
inline constexpr std::uint16_t kSwNotFound = 0x6A82;
inline constexpr std::uint16_t kSwSecurityNotSatisfied = 0x6982;  // read before VERIFY (UNC)
inline constexpr std::uint16_t kSwAuthBlocked = 0x6983;          // treated as locked
inline constexpr std::uint16_t kSwRefDataBlocked = 0x6984;       // locked (V2)

// 基本4情報 tags (V2).
inline constexpr std::uint32_t kTagBasic4 = 0xFF20;
inline constexpr std::uint32_t kTagOffsets = 0xDF21;
inline constexpr std::uint32_t kTagName = 0xDF22;
inline constexpr std::uint32_t kTagAddress = 0xDF23;
inline constexpr std::uint32_t kTagBirthDate = 0xDF24;
inline constexpr std::uint32_t kTagSex = 0xDF25;
// 個人番号 (tag V2, 2 filler bytes 1S).
inline constexpr std::uint32_t kTagMyNumber = 0xFF10;

// EF 0001 is 17 bytes: FF 10 0C + 12 digits + 2 filler bytes (tag V2, filler 1S).
// DF31 hashes all 17, so the file is read whole in one READ BINARY.
inline constexpr std::uint8_t kEfMyNumberLength = 17;

// Authenticity (EF 0003 tags V2; what DF33 signs 1S; EF 0004 layout V2).
inline constexpr std::uint32_t kTagSignatureFile = 0xFF30;
inline constexpr std::uint32_t kTagHashMyNumber = 0xDF31;  // SHA-256 of the whole EF 0001
inline constexpr std::uint32_t kTagHashBasic4 = 0xDF32;    // SHA-256 of EF 0002 from DF22 to the end of FF20
inline constexpr std::uint32_t kTagSignature = 0xDF33;     // RSA-2048 PKCS#1 v1.5 SHA-256 over DF31 TLV || DF32 TLV (1S)
inline constexpr std::uint32_t kTagCertificate = 0x7F21;
inline constexpr std::uint32_t kTagCertBody = 0x5F4E;       // what the J-LIS CA signs
inline constexpr std::uint32_t kTagCertSignature = 0x5F37;  // PKCS#1 v1.5 SHA-256 over the 5F4E value
inline constexpr std::uint32_t kTagRsaExponent = 0x90;
inline constexpr std::uint32_t kTagRsaModulus = 0x91;
inline constexpr std::size_t kCertKeyIdLength = 16;  // issuer key id, then subject key id, before 90/91
inline constexpr std::size_t kSha256Length = 32;
inline constexpr std::size_t kRsaModulusLength = 256;

// 照合番号B: birth YYMMDD (era year) + expiry year YYYY + 4-digit security code (V2).
inline constexpr std::size_t kCodeBLength = 14;

inline constexpr int kPinTries = 3;  // V2
// Tries of 照合番号B are unknown (UNC): always queried, never assumed.
// A TLV file header is at most 1 + 1... 2-byte tag + 82 xx xx; 7 bytes covers it
// and, for short files, part of the value.
inline constexpr std::uint8_t kHeaderReadLength = 7;

}  // namespace kakanai::cardreader::mynumber
