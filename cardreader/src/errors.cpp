#include "kakanai/cardreader/errors.hpp"

namespace kakanai::cardreader {

const char* to_string(CardErrorKind kind) {
    switch (kind) {
        case CardErrorKind::ServiceNotRunning: return "service_not_running";
        case CardErrorKind::NoReader: return "no_reader";
        case CardErrorKind::NoCard: return "no_card";
        case CardErrorKind::CardRemoved: return "card_removed";
        case CardErrorKind::CardReset: return "card_reset";
        case CardErrorKind::SharingViolation: return "sharing_violation";
        case CardErrorKind::Timeout: return "timeout";
        case CardErrorKind::WrongPin: return "wrong_pin";
        case CardErrorKind::LastTryNeedsConfirmation: return "last_try_needs_confirmation";
        case CardErrorKind::PinLocked: return "pin_locked";
        case CardErrorKind::NotMyNumberCard: return "not_my_number_card";
        case CardErrorKind::AccessDenied: return "access_denied";
        case CardErrorKind::Malformed: return "malformed";
        case CardErrorKind::Cancelled: return "cancelled";
        case CardErrorKind::Transmit: return "transmit";
    }
    return "unknown";
}

const CardErrorText& describe(CardErrorKind kind) {
    static const CardErrorText kService{
        "カード読み取りサービス（pcscd）が動いていません。", "The card service (pcscd) is not running.",
        "端末を再起動するか、管理者に連絡してください。", "Restart the station or call the administrator."};
    static const CardErrorText kNoReader{"カードリーダーがつながっていません。", "No card reader is connected.",
                                         "カードリーダーのUSBケーブルを差し直してください。",
                                         "Plug the card reader's USB cable in again."};
    static const CardErrorText kNoCard{"カードが置かれていません。", "There is no card on the reader.",
                                       "カードをリーダーに置いてください。", "Place the card on the reader."};
    static const CardErrorText kRemoved{"読み取り中にカードが離れました。", "The card was removed during the read.",
                                        "カードをもう一度置いて、読み終わるまで動かさないでください。",
                                        "Place the card again and leave it until the read is done."};
    static const CardErrorText kReset{"別のプログラムがカードをリセットしました。",
                                      "Another program reset the card.", "カードをもう一度置いてください。",
                                      "Place the card again."};
    static const CardErrorText kSharing{"別のプログラムがカードを使っています。", "Another program is using the card.",
                                        "そのプログラムを閉じてから、もう一度読み取ってください。",
                                        "Close that program and read again."};
    static const CardErrorText kTimeout{"カードが時間内に応答しませんでした。", "The card did not answer in time.",
                                        "カードを置き直してください。", "Place the card again."};
    static const CardErrorText kWrongPin{"暗証番号が違います。", "The PIN is wrong.",
                                         "残り回数を確かめて、本人がもう一度入力してください。",
                                         "Check the tries left; the resident may enter the PIN again."};
    static const CardErrorText kLastTry{"暗証番号の残り回数が1回です。", "Only one PIN try is left.",
                                        "間違えるとロックされます。本人の同意があるときだけ入力してください。",
                                        "A wrong PIN locks the card: enter it only if the resident agrees."};
    static const CardErrorText kLocked{"暗証番号がロックされています。", "The PIN is locked.",
                                       "窓口の職員にお申し出ください（ロック解除は市区町村の窓口で行います）。",
                                       "Please ask the counter staff (the town hall resets the PIN)."};
    static const CardErrorText kNotMyNumber{"マイナンバーカードではありません。", "This is not a My Number card.",
                                            "マイナンバーカードを置いてください。", "Place a My Number card."};
    static const CardErrorText kDenied{"カードが読み取りを許可しませんでした。", "The card refused the read.",
                                       "暗証番号を入力してから読み取ってください。", "Enter the PIN, then read again."};
    static const CardErrorText kMalformed{"カードのデータを読み取れませんでした。", "The card's data is malformed.",
                                          "手入力で受け付けてください。", "Take the details by hand."};
    static const CardErrorText kCancelled{"読み取りを中止しました。", "The read was cancelled.", "", ""};
    static const CardErrorText kTransmit{"カードとの通信に失敗しました。", "Communication with the card failed.",
                                         "カードを置き直してください。", "Place the card again."};
    switch (kind) {
        case CardErrorKind::ServiceNotRunning: return kService;
        case CardErrorKind::NoReader: return kNoReader;
        case CardErrorKind::NoCard: return kNoCard;
        case CardErrorKind::CardRemoved: return kRemoved;
        case CardErrorKind::CardReset: return kReset;
        case CardErrorKind::SharingViolation: return kSharing;
        case CardErrorKind::Timeout: return kTimeout;
        case CardErrorKind::WrongPin: return kWrongPin;
        case CardErrorKind::LastTryNeedsConfirmation: return kLastTry;
        case CardErrorKind::PinLocked: return kLocked;
        case CardErrorKind::NotMyNumberCard: return kNotMyNumber;
        case CardErrorKind::AccessDenied: return kDenied;
        case CardErrorKind::Malformed: return kMalformed;
        case CardErrorKind::Cancelled: return kCancelled;
        case CardErrorKind::Transmit: return kTransmit;
    }
    return kTransmit;
}

}  // namespace kakanai::cardreader
