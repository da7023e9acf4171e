// The app needs no browser permission at all: no camera, microphone, notifications, geolocation,
// clipboard read, MIDI, HID, serial, USB, fullscreen requests or file-system access. So every
// request and every check is refused, whoever asks; there is no list of allowed ones to get wrong.

/** Answer to session.setPermissionRequestHandler: never grant. */
export function decidePermissionRequest(_permission: string, _requestingUrl?: string): false {
  return false;
}

/** Answer to session.setPermissionCheckHandler: never report a permission as granted. */
export function decidePermissionCheck(_permission: string, _requestingOrigin?: string): false {
  return false;
}

/** Answer to session.setDevicePermissionHandler (HID, serial, USB): never grant a device. */
export function decideDevicePermission(_deviceType?: string): false {
  return false;
}
