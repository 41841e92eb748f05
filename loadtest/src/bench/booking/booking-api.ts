// The booking API's code under test, imported in one place through the
// package's subpath exports (its "." export also loads the HTTP app).
export type { BookingApiDeps } from '@tatkal/booking-api';
export {
  auditBookings,
  type CreateBookingInput,
  createBooking,
  type PassengerInput,
} from '@tatkal/booking-api/bookings';
export { SeatUnavailable } from '@tatkal/booking-api/domain';
export { bookHold, placeHold } from '@tatkal/booking-api/flows';
export { createBookingMetrics, HealthWindow } from '@tatkal/booking-api/health';
export {
  auditInventory,
  ensureInventory,
  holdSeats,
  inventoryKeyList,
  inventoryKeys,
  rebuildInventory,
  registerInventoryScripts,
  releaseHold,
} from '@tatkal/booking-api/inventory';
