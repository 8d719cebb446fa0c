# The console's English. Keys are shared with every other language file (a test checks).

skip-to-content = Skip to content
nav-label = Main
nav-dashboard = Dashboard
nav-orders = Orders
nav-order = Order
nav-board = Cut-off board
log-out = Log out
back-to-console = Back to the console

role-operator = Operator
role-staff = Warehouse staff
role-supervisor = Supervisor
role-seller = Seller

login-title = Log in
login-lede = The warehouse console for sellers and warehouse staff.
login-username = User name
login-password = Password
login-submit = Log in
login-wrong = Wrong user name or password.
login-slow-down = Too many failed logins: wait { $seconds } seconds and try again.

error-invalid = That can't be done as asked
error-not-found = Not found
error-forbidden = You may not see this page
error-conflict = That can't be done now
error-internal = Something went wrong on our side; try again
error-csrf = This form has expired: reload the page and try again

status-draft = Draft
status-submitted = Waiting for the floor
status-wait-picking = Released to picking
status-picking = Picking
status-packed = Packed
status-shipped = Shipped
status-delivered = Delivered
status-cancelled = Cancelled
status-exception = Exception

dashboard-today = Today by warehouse
cutoff-at = cut-off { $time }
cutoff-in = { $hours } h { $minutes } min to cut-off
cutoff-passed = cut-off passed
fulfilled-today = fulfilled today
orders-count-more = More than { $n } orders: search or choose a state to narrow them down
orders-count = { $n ->
    [one] { $n } order
   *[other] { $n } orders
}
exceptions-need-action = { $n ->
    [one] { $n } order is stopped in exception and needs action
   *[other] { $n } orders are stopped in exception and need action
}
stock-available = Available
stock-reserved = Reserved
stock-in-transit = In transit
stock-unfulfillable = Unfulfillable
chart-title = Orders due per day
chart-due = due
chart-shipped = shipped
chart-bar = { $orders } due, { $shipped } shipped
balance-title = Balance
balance-currency = Currency
balance-available = Available
balance-held = Held for orders

orders-search = Order number, reference or tracking number
orders-status = State
orders-any-status = Any state
orders-filter = Show
order-number = Order
order-reference = Reference
order-status = State
order-warehouse = Warehouse
order-due = Due
order-due-on = due { $day }
order-created = Placed
order-tracking = Tracking number
order-recipient = Recipient
order-lines = Products
order-product = Product
order-qty = Quantity
order-carrier = Carrier
order-handling-fee = Handling fee
order-delivery-fee = Delivery fee
order-cancel = Cancel the order (or ask to stop it once picking started)
order-cancel-reason = Why (optional)
order-intercept = Stop requested: { $state }
order-timeline = Timeline
timeline-manifested = On the { $carrier } manifest
timeline-handed-over = Handed over to { $carrier }
timeline-placed = Order placed
pages = Pages
page-previous = Previous
page-next = Next
page-of = Page { $page } of { $pages }

action-pick-scanned = Picked
action-pick-short = Short at the bin
action-pack-closed = Packed
action-pack-scanned = Into the parcel
action-pack-rebooked = Label booked again for the packed weight
action-order-intercept = Intercept requested
action-order-requeued = Back on the floor

board-nothing-due = Nothing is due today in this warehouse.
board-show = Show
pick-rate = { $n } units picked per hour
board-carrier = Carrier
board-due = Due today
board-waiting = Waiting
board-released = Released
board-picking = Picking
board-packed = Packed
board-shipped = Shipped
board-exceptions = Exceptions
board-overdue = Overdue
board-open-units = Open units
board-misses = Projected misses

nav-receiving = Receiving
scan-label = Scan
scan-submit = Enter
scan-camera = Camera
scan-quantity = Quantity
scan-queued = Offline: { $n } scans waiting to be sent
scan-empty = Nothing was scanned.
scan-bad-quantity = The quantity must be a whole number from 1 to 10000.
receiving-prompt-carton = Scan a carton mark, or type the inbound number.
receiving-prompt-sku = Scan each SKU label (type a quantity first to count several at once).
receiving-closed = This receipt is closed: what did not come is short.
receiving-inbound = Inbound { $inbound }
receiving-opened = Inbound { $inbound } opened
receiving-counted = +{ $n } { $sku }
receiving-counted-damaged = +{ $n } { $sku } damaged
receiving-expected = Expected
receiving-received = Received
receiving-damaged = Damaged
receiving-close = Close the receipt

nav-skus = SKUs
nav-sku-audit = SKU audit
cancel = Cancel
skus-count = { $n ->
    [one] { $n } SKU
   *[other] { $n } SKUs
}
sku-new = New SKU
sku-search = Seller SKU
sku-code = Warehouse code
sku-name = Name
sku-status = Audit
sku-actions = Actions
sku-submit = Submit for audit
sku-label = Label (PDF)
sku-created = SKU { $sku } saved as a draft: submit it for audit when it is complete.
sku-submitted = SKU { $sku } submitted: the warehouse audits it.
sku-status-draft = Draft
sku-status-submitted = Waiting for audit
sku-status-approved = Approved
sku-status-rejected = Rejected
sku-seller-sku = Your SKU code
sku-name-en = Name (English)
sku-name-cn = Name (Chinese)
sku-weight = Weight (g)
sku-length = Length (mm)
sku-width = Width (mm)
sku-height = Height (mm)
sku-declared-value = Declared value ({ $currency })
sku-hs-code = HS code
sku-origin = Country of origin (ISO, e.g. CN)
sku-save-draft = Save as draft
sku-submitted-at = submitted { $time }
sku-approve = Approve
sku-reject = Reject
sku-reject-reason = Reason (for a rejection)
sku-audit-empty = No SKU is waiting for audit.

nav-waves = Waves
nav-picking = Picking
nav-packing = Packing
nav-manifests = Manifests
wave-released = Wave { $n } released.
wave-shorts = { $n } due orders left out: their bins lack units
wave-release = Release a wave
wave-due-by = Due by
wave-service = Service
wave-all-services = All services
wave-release-button = Release
wave-open-lists = Pick lists on the floor
wave-list = Pick list
wave-list-name = Wave { $wave } · list { $list }
wave-zone = Zone
wave-totes = Totes
wave-picker = Picker
wave-progress = Picked
wave-no-open-lists = No pick list is open.
wave-recent = Waves
wave-number = Wave
wave-units = Units
wave-lists = Lists
wave-released-at = Released
pick-prompt-list = Scan a pick list's barcode, or choose one below.
pick-list-done = This pick list is done: take the cart to packing.
pick-prompt-bin = Go to bin { $bin } and scan it.
pick-prompt-sku = Take { $qty } × { $sku } and scan its label.
pick-prompt-tote = Put them in tote { $tote } and scan the tote.
pick-list-title = List { $list } · { $totes } totes
pick-left = { $n } picks left
pick-totes = Totes on the cart
pick-bin = Bin
pick-tote = Tote
pick-short-button = Bin is short (type what you found)
pick-short-exception = Short: no other bin has the units, the order is stopped and the bin will be counted.
pick-short-moved = Short: the rest is picked from another bin (next on the list).
pick-short-recorded = Short recorded.
scan-wrong-bin = Wrong bin: expected { $expected }, scanned { $got }.
pick-wrong-sku = Wrong SKU: expected { $expected }, scanned { $got }.
pick-wrong-tote = Wrong tote: expected tote { $expected }, scanned { $got }.
pick-done = { $qty } in tote { $tote }
pack-prompt-order = Scan the order's barcode.
pack-prompt-units = Scan each unit's SKU label into the parcel.
pack-prompt-next = Scan the next order.
pack-opened = Order { $order } at the bench
pack-scanned = { $sku } { $n }
pack-in-parcel = In the parcel
pack-weigh = All units are in: weigh and measure the parcel (its units weigh { $expected } g).
pack-close = Close the parcel
pack-release-hold = Let it go as weighed (supervisor)
pack-held = Held for a supervisor
pack-packed = Packed
pack-print-label = Print the label
manifest-prompt = Scan each packed parcel going to its carrier.
manifest-scanned = { $parcel } on the { $carrier } manifest
manifest-parcels = { $n ->
    [one] { $n } parcel
   *[other] { $n } parcels
}
manifest-list = Manifests
manifest-day = Day
manifest-parcel-count = Parcels
manifest-close = Close at pickup
manifest-none = No manifest yet.

nav-stock = Stock
nav-inbounds = Inbound
nav-balance = Balance
stock-rows = { $n ->
    [one] { $n } SKU in a warehouse
   *[other] { $n } SKUs in warehouses
}
stock-movements-days = movements of the last 30 days
stock-when = When
stock-reason = Why
stock-from = From
stock-to = To
stock-document = Document
stock-no-movements = No movement in the last 30 days.
bucket-outside = Outside
bucket-in-transit = In transit
bucket-received = Received
bucket-available = Available
bucket-reserved-allocated = Reserved by orders
bucket-reserved-hold = Held
bucket-suspend = Frozen
bucket-unfulfillable = Unfulfillable
reason-ios = inbound announced
reason-grn = received
reason-pac = put away
reason-oos = order placed
reason-ooc = order cancelled
reason-oof = shipped
reason-oeh = frozen
reason-oeu = unfrozen
reason-iaa = adjusted (count)
reason-ioc = inbound closed short
reason-rtn = returned
reason-dsp = disposed
reason-rtf = return forwarded
inbounds-count = { $n ->
    [one] { $n } inbound order
   *[other] { $n } inbound orders
}
inbound-number = Inbound
inbound-mode = Mode
inbound-put-away = Put away
inbound-short = Short
inbound-discrepancies = Discrepancies
inbound-no-discrepancies = None.
inbound-status-draft = Draft
inbound-status-awaiting-appointment = Awaiting appointment
inbound-status-awaiting-tracking = Awaiting tracking
inbound-status-in-transit = In transit
inbound-status-arrived = Arrived
inbound-status-receiving = Receiving
inbound-status-partially-put-away = Partly put away
inbound-status-put-away = Put away
inbound-status-cancelled = Cancelled
discrepancy-over = More than announced
discrepancy-short = Short
discrepancy-damaged = Damaged
discrepancy-unexpected = Unexpected SKU
statement-title = Statement { $month }
statement-month = Month
statement-amount = Amount
statement-movement = Movement
statement-empty = No money moved this month.
statement-movements = { $n ->
    [one] One movement this month, newest first.
   *[other] { $n } movements this month, newest first.
}
statement-cut = The pages show the newest 10,000 movements; the month's export has them all.
statement-export-csv = Export CSV
statement-export-xlsx = Export XLSX
statement-export-cut = This month has more than 500,000 movements: an export holds the oldest 500,000.
money-top-up = Top-up
money-hold = Held for an order
money-release = Released
money-charge = Charged
money-refund = Refunded
money-bucket-outside = outside
money-bucket-available = available
money-bucket-held = held
money-bucket-charged = charged

nav-integrations = Integrations
keys-title = Bird API keys
key-label = Label
key-created = Made
key-revoked = Revoked
key-revoke = Revoke
key-create = Make a key
key-shown-once = Your new API key: copy it now, it is shown only this once (Entrepot keeps only its hash).
key-owner-only = Only an owner of the account makes and revokes keys.
connect-title = Connect your ERP
connect-base-url = Base URL
connect-bird = Point the ERP at the base URL and send two headers on every call: api_key (a key above) and company_id (the warehouse, below). Forms may be URL-encoded or multipart, as PHP sends them.
connect-oc = The operator registers your ERP app and gives it a ClientKey and SecretKey; the ERP then logs in at /oauth/authorize with your console user, takes tokens from /oauth/token and calls /openapi/3pp/… with the serviceRegion below.
connect-native = The native API for your own scripts: its reference

nav-queue = Exceptions
queue-intercept = The client asks to stop it
queue-accept = Stop it (cancel, units back to stock)
queue-refuse = Ship it anyway
queue-requeue = Put it back onto the floor
queue-empty = No order is waiting for a decision.

nav-import = Import
import-upload = Import orders from a spreadsheet
import-lede = One row per order line; rows with the same order reference make one order. XLSX or CSV, up to 5 MB and 10,000 rows.
import-template = Download the template
import-file = File
import-check = Check every row
import-now = Import now
import-checked = { $rows } rows, { $orders } orders: { $good } can be imported, { $bad } have errors, { $already } were imported before.
import-done = { $rows } rows, { $orders } orders: { $good } imported, { $bad } not imported (errors), { $already } were imported before.
import-annotated = Download the file with its errors marked
import-the-good = Import the { $n } good orders
import-row = Row
import-row-n = Row { $row }
import-column = Column
import-problem = Problem
import-bad-upload = The upload could not be read: choose the file again.
import-too-large = The file is too large (at most 5 MB).
import-no-file = Choose a file first.

## Putaway
nav-putaway = Putaway
putaway-prompt-sku = Scan a SKU label at the dock, or choose a task below.
putaway-prompt-bin = Scan bin { $bin } (type a quantity first to put away part).
putaway-prompt-any-bin = No bin fits: scan the bin you choose, then confirm it.
putaway-suggested = Suggested bin
putaway-no-suggestion = None fits
putaway-waiting = Waiting
putaway-tasks = Waiting to be put away
putaway-none = Nothing waits at the dock.
putaway-start = Put away
putaway-opened = { $qty } × { $sku } to put away
putaway-done = Put away { $qty } × { $sku }
putaway-no-task = Nothing waits at the dock for { $code }.
putaway-confirm-other = Put away into { $bin } instead

## Cycle counts
nav-counts = Counts
count-prompt-task = Scan the bin of an open count, or choose one below.
count-open = Open counts
count-none = No count is open in this warehouse.
count-title = Count of { $bin }
count-prompt-bin = Scan bin { $bin }.
count-prompt-sku = Scan each SKU label in the bin (type a quantity first to count several at once), then submit the count.
count-nothing-yet = Nothing counted yet: submitting now counts the bin empty.
count-counted-col = Counted
count-variance = Variance
count-submit = Submit the count
count-opened = Count of { $bin } opened
count-counted = +{ $n } { $sku }
count-no-task = No open count for { $code }.
count-not-open = The count of { $bin } is no longer open.
count-applied = Count of { $bin } recorded; its variance is applied.
count-held = Count of { $bin } recorded; its variance waits for a supervisor's approval.
count-held-title = Variances awaiting approval
count-held-none = No count waits for approval.
count-approve = Approve
count-reject = Reject
count-reject-reason = Reason

## Returns
nav-returns = Returns
returns-prompt-parcel = Scan a returned parcel: its tracking number, RMA or consignment id.
returns-prompt-sku = Scan each SKU label in the parcel (switch damaged first for damaged units), then receive; or receive every listed unit at once.
returns-prompt-action = Received: choose what is done with it.
returns-prompt-match = Scan the tracking number or RMA of the return this parcel belongs to.
returns-title = Return { $id }
returns-requested = Requested
returns-outcome = Done
returns-good = Good
returns-counted = Counted so far
returns-receive = Receive what was counted
returns-receive-all = Receive every listed unit
returns-opened = Return { $id } opened
returns-received = Return { $id } received
returns-done = Return { $id }: { $action }
returns-matched = Parcel matched to return { $id }: receive it now.
returns-unidentified = No return matches { $code }: kept as an unidentified return.
returns-too-many = The return lists only { $n } × { $sku }.
returns-not-on-return = { $code } is not on this return; expected { $expected }.
returns-unidentified-title = Unidentified returns
returns-unidentified-none = No unidentified return waits in this warehouse.
returns-match = Match
return-status-expected = Expected
return-status-received = Received
return-status-inspecting = Being inspected
return-status-completed = Completed
return-action-restock = Restock
return-action-hold = Hold for the seller
return-action-dispose = Dispose
return-action-inspect = Inspect
return-action-forward = Forward
count-state-open = Open
count-state-counted = Awaiting approval
count-state-adjusted = Adjusted
count-state-approved = Approved
count-state-rejected = Rejected
