# 控制台的简体中文。键与其他语言文件相同（有测试检查）。

skip-to-content = 跳到正文
nav-label = 主导航
nav-dashboard = 概览
nav-orders = 订单
nav-order = 订单详情
nav-board = 截单看板
log-out = 退出登录
back-to-console = 返回控制台

role-operator = 运营管理员
role-staff = 仓库员工
role-supervisor = 主管
role-seller = 卖家

login-title = 登录
login-lede = 面向卖家和仓库员工的海外仓控制台。
login-username = 用户名
login-password = 密码
login-submit = 登录
login-wrong = 用户名或密码错误。
login-slow-down = 登录失败次数过多：请等待 { $seconds } 秒后重试。

error-invalid = 无法按请求执行
error-not-found = 未找到
error-forbidden = 您无权查看此页面
error-conflict = 当前无法执行
error-internal = 系统出错，请重试
error-csrf = 表单已过期：请刷新页面后重试

status-draft = 草稿
status-submitted = 待处理
status-wait-picking = 待拣货
status-picking = 拣货中
status-packed = 已打包
status-shipped = 已发货
status-delivered = 已签收
status-cancelled = 已取消
status-exception = 异常

dashboard-today = 今日各仓
cutoff-at = 截单时间 { $time }
cutoff-in = 距截单还有 { $hours } 小时 { $minutes } 分钟
cutoff-passed = 已过截单时间
fulfilled-today = 今日完成率
orders-count = { $n } 个订单
exceptions-need-action = { $n } 个订单处于异常，需要处理
stock-available = 可用
stock-reserved = 已占用
stock-in-transit = 在途
stock-unfulfillable = 不可售
chart-title = 每日应发订单
chart-due = 应发
chart-shipped = 已发
chart-bar = 应发 { $orders }，已发 { $shipped }
balance-title = 余额
balance-currency = 币种
balance-available = 可用
balance-held = 订单冻结

orders-search = 订单号、参考号或跟踪号
orders-status = 状态
orders-any-status = 全部状态
orders-filter = 查询
order-number = 订单号
order-reference = 参考号
order-status = 状态
order-warehouse = 仓库
order-due = 应发日期
order-due-on = 应发日期 { $day }
order-created = 下单时间
order-tracking = 跟踪号
order-recipient = 收件人
order-lines = 商品
order-product = 商品名称
order-qty = 数量
order-carrier = 承运商
order-handling-fee = 操作费
order-delivery-fee = 运费
order-timeline = 时间线
timeline-placed = 订单已创建
pages = 分页
page-previous = 上一页
page-next = 下一页
page-of = 第 { $page } 页，共 { $pages } 页

action-pick-scanned = 已拣货
action-pick-short = 库位缺货
action-pack-closed = 已打包
action-pack-rebooked = 按打包重量重新下单面单
action-order-intercept = 已申请拦截
action-order-requeued = 重新进入作业

board-nothing-due = 该仓今日没有应发订单。
board-show = 查看
pick-rate = 每小时拣货 { $n } 件
board-carrier = 承运商
board-due = 今日应发
board-waiting = 待释放
board-released = 已释放
board-picking = 拣货中
board-packed = 已打包
board-shipped = 已发货
board-exceptions = 异常
board-overdue = 逾期
board-open-units = 未完成件数
board-misses = 预计错过
