"""Practice for new agents (上机操作培训): the bot plays a customer, the trainee replies."""
