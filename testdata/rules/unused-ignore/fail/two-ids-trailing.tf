resource "aws_iam_policy" "notebook_status" {
  name = "notebook-status"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sagemaker:DescribeNotebookInstance"] // mlpolicy: ignore[redundant-action, unknown-action] list was trimmed
      Resource = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/team-a-notebook"
    }]
  })
}
